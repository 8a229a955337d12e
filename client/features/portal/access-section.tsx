import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type HandedOverLink, LinkHandOver } from '../../components/link-hand-over';
import { formatDateTime } from '../../lib/format';
import { useLocale } from '../../lib/i18n';
import { type ClientDto, fieldErrorsOf, queryClient, trpc } from '../../lib/trpc';

/**
 * The card's portal access, for administrators: whether the client has its portal account and a password, and
 * its one-time set-password link to copy and hand over (when SMTP is not set up; otherwise where it was mailed).
 * `link` is the one the last save made by turning "Login allowed" on.
 */
export function PortalAccessSection({ client, link }: { client: ClientDto; link: HandedOverLink | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const headingId = useId();
  const statusKey = trpc.portal.status.queryKey({ clientId: client.id });
  const status = useQuery(trpc.portal.status.queryOptions({ clientId: client.id }));
  const newLink = useMutation(trpc.portal.newLink.mutationOptions());
  const [issued, setIssued] = useState<HandedOverLink | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  // A save (here or by someone else, live) may have turned access on or off or given the client an e-mail.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the version is what says the client changed
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: statusKey });
  }, [client.version, link]);

  // The newest link is the one that works (a new link replaces the older ones): the later expiry.
  const newest = [issued, link]
    .filter((candidate): candidate is HandedOverLink => candidate !== null)
    .sort((a, b) => b.expiresAt.getTime() - a.expiresAt.getTime())[0];
  const shown = client.loginAllowed ? (newest ?? null) : null;
  const account = status.data?.account ?? null;
  const create = () => {
    setProblem(null);
    newLink.mutate(
      { clientId: client.id },
      {
        onSuccess: (answer) => {
          setIssued(answer);
          void queryClient.invalidateQueries({ queryKey: statusKey });
        },
        onError: (error) => {
          const fields = fieldErrorsOf(error);
          setProblem(fields ? Object.values(fields).flat().join(' ') : error.message);
        },
      },
    );
  };

  return (
    <section className="panel portal-access" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('portal.accessTitle')}</h2>
      {!client.loginAllowed ? (
        <p>{t('portal.accessOff')}</p>
      ) : !status.data ? (
        <p>{t('common.loading')}</p>
      ) : !account && !status.data.clientEmail ? (
        <p>{t('portal.needsEmail')}</p>
      ) : (
        <>
          {account ? (
            <p>
              {t('portal.account', { email: account.email })}{' '}
              {account.passwordSet ? t('portal.passwordSet') : t('portal.waiting')}{' '}
              {account.linkExpiresAt
                ? t('portal.linkValid', { date: formatDateTime(account.linkExpiresAt, locale) })
                : null}
            </p>
          ) : (
            <p>{t('portal.noAccount')}</p>
          )}
          <div>
            <button type="button" className="btn" disabled={newLink.isPending} onClick={create}>
              {account ? t('portal.newLink') : t('portal.createAccount')}
            </button>
          </div>
        </>
      )}
      {problem ? (
        <p className="form-alert" role="alert">
          {problem}
        </p>
      ) : null}
      {shown ? <LinkHandOver link={shown} name={client.name} /> : null}
    </section>
  );
}

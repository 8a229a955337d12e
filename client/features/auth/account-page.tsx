import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAnnounce } from '../../components/announcer';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useUser } from '../../lib/session';
import { queryClient, trpc } from '../../lib/trpc';

/** Who is signed in, and "Sign out everywhere" (every session of the account, on every device). */
export function AccountPage() {
  const { t } = useTranslation();
  const user = useUser();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const headingId = useId();
  const [confirm, setConfirm] = useState(false);
  const everywhere = useMutation(
    trpc.auth.logoutEverywhere.mutationOptions({
      onSettled: () => {
        setConfirm(false);
        queryClient.clear();
        queryClient.setQueryData(trpc.auth.me.queryKey(), null);
        announce(t('account.signedOutEverywhere'), 'info');
        navigate('/sign-in');
      },
    }),
  );

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('account.title')}</h1>
      </div>
      <div className="settings-grid">
        <section className="panel">
          <dl className="account-facts">
            <div>
              <dt>{t('account.name')}</dt>
              <dd>{user.name}</dd>
            </div>
            <div>
              <dt>{t('account.email')}</dt>
              <dd>{user.email}</dd>
            </div>
            <div>
              <dt>{t('account.role')}</dt>
              <dd>{t(`roles.${user.role}`)}</dd>
            </div>
          </dl>
        </section>
        <section className="panel" aria-labelledby={headingId}>
          <h2 id={headingId}>{t('account.everywhereTitle')}</h2>
          <p>{t('account.everywhereHelp')}</p>
          <div>
            <button type="button" className="btn btn-danger" onClick={() => setConfirm(true)}>
              {t('account.everywhere')}
            </button>
          </div>
        </section>
      </div>
      <ConfirmDialog
        isOpen={confirm}
        title={t('account.everywhereConfirm')}
        confirmLabel={t('account.everywhere')}
        isPending={everywhere.isPending}
        onCancel={() => setConfirm(false)}
        onConfirm={() => everywhere.mutate()}
      >
        <p>{t('account.everywhereConfirmBody')}</p>
      </ConfirmDialog>
    </div>
  );
}

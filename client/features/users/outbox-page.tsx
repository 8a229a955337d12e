import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import { useLocale } from '../../lib/i18n';
import { trpc } from '../../lib/trpc';

const STATUSES = ['pending', 'sent', 'failed'] as const;
type Status = (typeof STATUSES)[number];

/** Settings → E-mail outbox: what waits, what was sent and what failed (never the mails' text). */
export function OutboxPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [status, setStatus] = useState<Status | ''>('');
  const filterId = useId();
  const headingId = useId();
  const outbox = useInfiniteQuery(
    trpc.mail.outbox.infiniteQueryOptions(
      { status: status || undefined, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const first = outbox.data?.pages[0];
  const items = outbox.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('outbox.title')}</h2>
      {first ? (
        <>
          <p className={first.smtpConfigured ? 'notice' : 'notice notice-warn'}>
            {first.smtpConfigured ? t('outbox.smtp') : t('outbox.noSmtp')}
          </p>
          <p>{t('outbox.counts', first.counts)}</p>
        </>
      ) : null}
      <div className="field audit-filter">
        <label htmlFor={filterId}>{t('outbox.status')}</label>
        <select id={filterId} value={status} onChange={(event) => setStatus(event.target.value as Status | '')}>
          <option value="">{t('outbox.allStatuses')}</option>
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {t(`outbox.statuses.${value}`)}
            </option>
          ))}
        </select>
      </div>
      {outbox.isPending ? (
        <p>{t('common.loading')}</p>
      ) : outbox.isError ? (
        <p className="form-alert" role="alert">
          {t('common.error', { message: outbox.error.message })}
        </p>
      ) : items.length === 0 ? (
        <p className="empty">{t('outbox.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('outbox.created')}</th>
                <th scope="col">{t('outbox.to')}</th>
                <th scope="col">{t('outbox.subject')}</th>
                <th scope="col">{t('outbox.status')}</th>
                <th scope="col">{t('outbox.attempts')}</th>
                <th scope="col">{t('outbox.lastError')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((mail) => (
                <tr key={mail.id}>
                  <td>{formatDateTime(mail.createdAt, locale)}</td>
                  <td>{mail.to}</td>
                  <td>{mail.subject}</td>
                  <td>
                    {t(`outbox.statuses.${mail.status}`)}
                    {mail.sentAt ? <div className="sub">{formatDateTime(mail.sentAt, locale)}</div> : null}
                    {mail.nextAttemptAt && mail.attempts > 0 ? (
                      <div className="sub">
                        {t('outbox.nextAttempt', { date: formatDateTime(mail.nextAttemptAt, locale) })}
                      </div>
                    ) : null}
                  </td>
                  <td>{mail.attempts}</td>
                  <td>{mail.lastError ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {outbox.hasNextPage ? (
        <div>
          <button
            type="button"
            className="btn"
            disabled={outbox.isFetchingNextPage}
            onClick={() => void outbox.fetchNextPage()}
          >
            {t('outbox.more')}
          </button>
        </div>
      ) : null}
    </section>
  );
}

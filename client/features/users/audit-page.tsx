import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AUDIT_TYPES, type AuditType } from '../../../shared/audit';
import { formatDateTime } from '../../lib/format';
import { useLocale } from '../../lib/i18n';
import { type RouterOutputs, trpc } from '../../lib/trpc';

type Entry = RouterOutputs['audit']['list']['entries'][number];

/** "role: viewer → agent": what an entry changed, with role names in the UI's language. */
function useDetails(): (entry: Entry) => string {
  const { t } = useTranslation();
  const value = (field: string, raw: unknown) =>
    field === 'role' && typeof raw === 'string' ? t(`roles.${raw}`) : raw === null ? '—' : String(raw);
  return (entry) =>
    Object.entries(entry.changes ?? {})
      .map(([field, change]) => `${field}: ${value(field, change.before)} → ${value(field, change.after)}`)
      .join('; ');
}

/** Settings → Audit log: sign-ins, failed sign-ins, role and access changes, password resets, newest first. */
export function AuditPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const details = useDetails();
  const [type, setType] = useState<AuditType | ''>('');
  const filterId = useId();
  const headingId = useId();
  const log = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { type: type || undefined, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const entries = log.data?.pages.flatMap((page) => page.entries) ?? [];

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('audit.title')}</h2>
      <div className="field audit-filter">
        <label htmlFor={filterId}>{t('audit.type')}</label>
        <select id={filterId} value={type} onChange={(event) => setType(event.target.value as AuditType | '')}>
          <option value="">{t('audit.allTypes')}</option>
          {AUDIT_TYPES.map((value) => (
            <option key={value} value={value}>
              {t(`audit.types.${value}`)}
            </option>
          ))}
        </select>
      </div>
      {log.isPending ? (
        <p>{t('common.loading')}</p>
      ) : log.isError ? (
        <p className="form-alert" role="alert">
          {t('common.error', { message: log.error.message })}
        </p>
      ) : entries.length === 0 ? (
        <p className="empty">{t('audit.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('audit.at')}</th>
                <th scope="col">{t('audit.type')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.account')}</th>
                <th scope="col">{t('audit.client')}</th>
                <th scope="col">{t('audit.address')}</th>
                <th scope="col">{t('audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatDateTime(entry.at, locale)}</td>
                  <td>{t(`audit.types.${entry.type}`)}</td>
                  <td>{entry.actorName ?? t('audit.system')}</td>
                  <td>{entry.email ?? t('audit.system')}</td>
                  <td>
                    {entry.clientId ? (
                      <Link to={`/clients/${entry.clientId}`}>{t('audit.clientLink', { id: entry.clientId })}</Link>
                    ) : (
                      t('audit.system')
                    )}
                  </td>
                  <td>{entry.address ?? t('audit.system')}</td>
                  <td>{details(entry)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.hasNextPage ? (
        <div>
          <button
            type="button"
            className="btn"
            disabled={log.isFetchingNextPage}
            onClick={() => void log.fetchNextPage()}
          >
            {t('audit.more')}
          </button>
        </div>
      ) : null}
    </section>
  );
}

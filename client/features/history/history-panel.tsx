import { useInfiniteQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import { useLocale } from '../../lib/i18n';
import { type ClientDto, type RouterOutputs, trpc } from '../../lib/trpc';
import { type HistoryText, useHistoryText } from './history-text';
import { formatTime, relativeTime, useNow } from './relative-time';

// The chart and its library (visx) load when the History tab is first opened, not with every card.
const ActivityChart = lazy(async () => ({ default: (await import('./activity-chart')).ActivityChart }));

type Entry = RouterOutputs['activity']['history']['entries'][number];

// Row ids tell the live cache which row changed; people read the row's own fields instead.
const HIDDEN_FIELDS = new Set(['id']);

/** When the entry happened: relative while recent; a group also says how many saves over which span. */
function When({ entry, now }: { entry: Entry; now: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const from = new Date(entry.at);
  const until = new Date(entry.until);
  const exact = formatDateTime(until, locale);
  const sameDay = from.toDateString() === until.toDateString();
  return (
    <span className="history-time">
      <time dateTime={until.toISOString()} title={exact}>
        {relativeTime(until, now, locale) ?? exact}
      </time>
      {entry.count > 1 ? (
        <span className="history-count">
          {' '}
          (
          {t('history.saves', {
            count: entry.count,
            from: formatDateTime(from, locale),
            to: sameDay ? formatTime(until, locale) : exact,
          })}
          )
        </span>
      ) : null}
    </span>
  );
}

function EntryView({ entry, now, text }: { entry: Entry; now: number; text: HistoryText }) {
  const { t } = useTranslation();
  const fields = Object.entries(entry.changes).filter(([field]) => !HIDDEN_FIELDS.has(field));
  return (
    <li className="history-entry">
      <p className="history-head">
        <strong>{entry.actorName}</strong> {t(`history.types.${entry.type}`)} <When entry={entry} now={now} />
      </p>
      {fields.length > 0 ? (
        <table className="history-changes">
          <caption className="visually-hidden">{t('history.changesCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('history.field')}</th>
              <th scope="col">{t('history.before')}</th>
              <th scope="col">{t('history.after')}</th>
            </tr>
          </thead>
          <tbody>
            {fields.map(([field, change]) => (
              <tr key={field}>
                <th scope="row">{text.fieldName(entry.type, field)}</th>
                <td className="history-before">{text.valueText(field, change.before)}</td>
                <td>{text.valueText(field, change.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </li>
  );
}

/** The card's History tab: every change from the event log, newest first, one person's quick edits grouped. */
export function HistoryPanel({ client }: { client: ClientDto }) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const text = useHistoryText();
  const history = useInfiniteQuery(
    trpc.activity.history.infiniteQueryOptions(
      { clientId: client.id },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  if (history.isPending) return <p>{t('common.loading')}</p>;
  if (history.isError) {
    return (
      <p role="alert" className="form-alert">
        {t('common.error', { message: history.error.message })}
      </p>
    );
  }
  const entries = history.data.pages.flatMap((page) => page.entries);
  return (
    <section className="history-panel" aria-label={t('history.tab')}>
      <Suspense fallback={null}>
        <ActivityChart clientId={client.id} />
      </Suspense>
      {entries.length === 0 ? <p>{t('history.empty')}</p> : null}
      <ol className="history-list">
        {entries.map((entry) => (
          <EntryView key={entry.seq} entry={entry} now={now} text={text} />
        ))}
      </ol>
      {history.hasNextPage ? (
        <button
          type="button"
          className="btn"
          disabled={history.isFetchingNextPage}
          onClick={() => void history.fetchNextPage()}
        >
          {history.isFetchingNextPage ? t('common.loading') : t('history.more')}
        </button>
      ) : null}
    </section>
  );
}

import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { FIELD_LABELS } from '../../../shared/client-fields';
import { formatDateTime } from '../../lib/format';
import { useLocale } from '../../lib/i18n';
import { useCategories, useSubcategories } from '../../lib/lookups';
import { useCan } from '../../lib/session';
import { type ClientDto, type RouterOutputs, trpc } from '../../lib/trpc';

type Entry = RouterOutputs['activity']['history']['entries'][number];

const ENUM_FIELDS = new Set(['status', 'gender', 'salutation', 'visibility']);
// Row ids tell the live cache which row changed; people read the row's own fields instead.
const HIDDEN_FIELDS = new Set(['id']);

/** A field's value as people read it: names for lookup ids, words for flags and codes, "—" for nothing. */
function useValueText(): (field: string, value: unknown) => string {
  const { t } = useTranslation();
  const locale = useLocale();
  const lookupsAllowed = useCan()('lookups.read');
  const categories = useCategories(lookupsAllowed);
  const subcategories = useSubcategories(undefined, lookupsAllowed);
  return (field, value) => {
    if (value === null || value === undefined || value === '') return t('common.none');
    if (typeof value === 'boolean') return value ? t('history.yes') : t('history.no');
    if (field === 'categoryId') return categories.data?.find((row) => row.id === value)?.name ?? `#${value}`;
    if (field === 'subcategoryId') return subcategories.data?.find((row) => row.id === value)?.name ?? `#${value}`;
    if (ENUM_FIELDS.has(field)) return t(field === 'visibility' ? `history.visibility.${value}` : `${field}.${value}`);
    if (value instanceof Date || field === 'deletedAt') return formatDateTime(value as Date | string, locale);
    if (field === 'size' && typeof value === 'number') return new Intl.NumberFormat(locale).format(value);
    return String(value);
  };
}

function useFieldName(): (field: string) => string {
  const { t } = useTranslation();
  const locale = useLocale();
  return (field) =>
    (FIELD_LABELS as Record<string, Record<string, string>>)[field]?.[locale] ?? t(`history.fields.${field}`, field);
}

function EntryView({ entry }: { entry: Entry }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const valueText = useValueText();
  const fieldName = useFieldName();
  const fields = Object.entries(entry.changes).filter(([field]) => !HIDDEN_FIELDS.has(field));
  const span =
    entry.count > 1
      ? t('history.span', { from: formatDateTime(entry.at, locale), to: formatDateTime(entry.until, locale) })
      : formatDateTime(entry.at, locale);
  return (
    <li className="history-entry">
      <p className="history-head">
        <strong>{entry.actorName}</strong> {t(`history.types.${entry.type}`)}
        {entry.count > 1 ? (
          <span className="history-count"> ({t('history.saves', { count: entry.count })})</span>
        ) : null}
        <span className="history-time">
          <time dateTime={new Date(entry.until).toISOString()}>{span}</time>
        </span>
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
                <th scope="row">{fieldName(field)}</th>
                <td className="history-before">{valueText(field, change.before)}</td>
                <td>{valueText(field, change.after)}</td>
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
      {entries.length === 0 ? <p>{t('history.empty')}</p> : null}
      <ol className="history-list">
        {entries.map((entry) => (
          <EntryView key={entry.seq} entry={entry} />
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

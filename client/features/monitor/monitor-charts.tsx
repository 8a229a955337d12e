import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { countryName } from '../../../shared/countries';
import type { Locale } from '../../../shared/locale';
import { useLocale } from '../../lib/i18n';
import { type RouterOutputs, trpc } from '../../lib/trpc';
import { DayChart, StatusBarsChart, type StatusGroup, viewerTimeZone } from '../charts/charts';

type Breakdown = RouterOutputs['clients']['breakdown'];

const DAYS = 30;
// Groups beyond this many (by size) are added up in one bar, so the chart stays readable with 200 countries.
const SHOWN_GROUPS = 8;

function topGroups(groups: StatusGroup[], t: TFunction): StatusGroup[] {
  if (groups.length <= SHOWN_GROUPS + 1) return groups;
  const rest = groups.slice(SHOWN_GROUPS);
  return [
    ...groups.slice(0, SHOWN_GROUPS),
    {
      key: 'rest',
      label: t('charts.rest', { groups: rest.length }),
      active: rest.reduce((sum, group) => sum + group.active, 0),
      inactive: rest.reduce((sum, group) => sum + group.inactive, 0),
    },
  ];
}

function groupsOf(breakdown: Breakdown, by: 'category' | 'country', t: TFunction, locale: Locale): StatusGroup[] {
  return by === 'category'
    ? breakdown.byCategory.map((row) => ({
        key: String(row.categoryId),
        label: row.name ?? t('charts.noCategory'),
        active: row.active,
        inactive: row.inactive,
      }))
    : breakdown.byCountry.map((row) => ({
        key: row.country ?? 'none',
        label: row.country ? countryName(row.country, locale) : t('charts.noCountry'),
        active: row.active,
        inactive: row.inactive,
      }));
}

function BreakdownChart({ breakdown, by }: { breakdown: Breakdown; by: 'category' | 'country' }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const all = groupsOf(breakdown, by, t, locale);
  const title = t(by === 'category' ? 'charts.byCategory' : 'charts.byCountry');
  const summary = t('charts.breakdownSummary', {
    by: title,
    active: all.reduce((sum, group) => sum + group.active, 0),
    inactive: all.reduce((sum, group) => sum + group.inactive, 0),
    top: all[0]?.label ?? '—',
  });
  return <StatusBarsChart title={title} groups={topGroups(all, t)} summary={summary} />;
}

/**
 * The monitor's pictures: status changes per day over the last 30 days, and the active and inactive clients by
 * category and by country. The app's live stream refetches them when a change moves their counts (cache-rules.ts).
 */
export function MonitorCharts() {
  const { t } = useTranslation();
  const timeZone = useMemo(viewerTimeZone, []);
  const perDay = useQuery(trpc.activity.statusChangesPerDay.queryOptions({ timeZone, days: DAYS }));
  const breakdown = useQuery(trpc.clients.breakdown.queryOptions());
  const error = perDay.error ?? breakdown.error;
  const days = perDay.data;
  return (
    <section aria-labelledby="monitor-charts">
      <h2 id="monitor-charts">{t('charts.heading')}</h2>
      {error ? (
        <p role="alert" className="form-alert">
          {t('common.error', { message: error.message })}
        </p>
      ) : null}
      <div className="monitor-charts">
        {days ? (
          <DayChart
            title={t('charts.statusTitle')}
            days={days}
            summary={t('charts.statusSummary', {
              days: DAYS,
              total: days.reduce((sum, day) => sum + day.count, 0),
              today: days.at(-1)?.count ?? 0,
              max: Math.max(0, ...days.map((day) => day.count)),
            })}
          />
        ) : null}
        {breakdown.data ? (
          <>
            <BreakdownChart breakdown={breakdown.data} by="category" />
            <BreakdownChart breakdown={breakdown.data} by="country" />
          </>
        ) : null}
      </div>
    </section>
  );
}

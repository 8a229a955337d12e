import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { trpc } from '../../lib/trpc';
import { DayChart, viewerTimeZone } from '../charts/charts';

const DAYS = 90;

/** The client's activity over time: its events per day (what its History shows the viewer), live via the cache rules. */
export function ActivityChart({ clientId }: { clientId: number }) {
  const { t } = useTranslation();
  const timeZone = useMemo(viewerTimeZone, []);
  const activity = useQuery(trpc.activity.clientActivityPerDay.queryOptions({ clientId, timeZone, days: DAYS }));
  const days = activity.data;
  if (!days) return null;
  const counts = days.map((day) => day.count);
  return (
    <DayChart
      title={t('charts.activityTitle', { days: DAYS })}
      days={days}
      summary={t('charts.activitySummary', {
        days: DAYS,
        total: counts.reduce((sum, count) => sum + count, 0),
        busyDays: counts.filter((count) => count > 0).length,
        max: Math.max(0, ...counts),
      })}
    />
  );
}

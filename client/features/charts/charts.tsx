/**
 * The monitor's and the card's charts, drawn by hand: every one is a bar chart over at most a few dozen bars, which
 * a few SVG rectangles and CSS widths show with no chart library in the bundle, in the theme's colours, and with
 * a text alternative beside each (a summary for screen readers, and the numbers as a table for anyone).
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../shared/locale';
import { useLocale } from '../../lib/i18n';
import './charts.css';

export interface DayCount {
  day: string;
  count: number;
}

/** The browser's IANA time zone: the charts' days run from its midnights. */
export const viewerTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A YYYY-MM-DD calendar day as people read it (the day itself, whatever the viewer's zone). */
function dayLabel(day: string, locale: Locale, style: 'short' | 'long'): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'short' ? { day: 'numeric', month: 'short' } : { dateStyle: 'medium' };
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(Date.parse(`${day}T00:00:00Z`));
}

/** A chart with its title, a summary read out in its place, and its numbers as a table to open. */
function Figure({
  title,
  summary,
  table,
  children,
}: {
  title: string;
  summary: string;
  table: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <figure className="chart">
      <figcaption className="chart-title">{title}</figcaption>
      <div role="img" aria-label={summary}>
        {children}
      </div>
      <details className="chart-data">
        <summary>{t('charts.asTable')}</summary>
        <table>{table}</table>
      </details>
    </figure>
  );
}

const WIDTH = 480;
const HEIGHT = 140;
const AXIS = 18;
const TOP = 12;

/** One bar per day, oldest on the left, today (the last day) marked; a date under every week or few. */
export function DayChart({ title, days, summary }: { title: string; days: DayCount[]; summary: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const max = Math.max(1, ...days.map((day) => day.count));
  const step = WIDTH / Math.max(1, days.length);
  const plot = HEIGHT - AXIS - TOP;
  const last = days.length - 1;
  // About five labels, whole weeks apart, counted back from today.
  const labelEvery = 7 * Math.max(1, Math.ceil(days.length / 5 / 7));
  const label = (index: number, style: 'short' | 'long') => {
    const text = dayLabel(days[index]?.day ?? '', locale, style);
    return index === last ? t('charts.today', { day: text }) : text;
  };
  return (
    <Figure
      title={title}
      summary={summary}
      table={
        <>
          <thead>
            <tr>
              <th scope="col">{t('charts.day')}</th>
              <th scope="col">{t('charts.changes')}</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day, index) => (
              <tr key={day.day}>
                <th scope="row">{label(index, 'long')}</th>
                <td>{day.count}</td>
              </tr>
            ))}
          </tbody>
        </>
      }
    >
      <svg className="chart-days" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true">
        <text className="chart-axis" x={0} y={TOP - 2}>
          {max}
        </text>
        <line className="chart-grid" x1={0} x2={WIDTH} y1={TOP} y2={TOP} />
        <line className="chart-baseline" x1={0} x2={WIDTH} y1={TOP + plot} y2={TOP + plot} />
        {days.map((day, index) => {
          const height = (day.count / max) * plot;
          return (
            <rect
              key={day.day}
              className={index === last ? 'chart-bar chart-bar-today' : 'chart-bar'}
              x={index * step + step * 0.15}
              y={TOP + plot - height}
              width={step * 0.7}
              height={height}
            >
              <title>{`${label(index, 'long')}: ${day.count}`}</title>
            </rect>
          );
        })}
        {days.map((day, index) =>
          (last - index) % labelEvery === 0 ? (
            <text
              key={day.day}
              className="chart-axis"
              x={index * step + step / 2}
              y={HEIGHT - 4}
              textAnchor={index === last ? 'end' : 'middle'}
            >
              {dayLabel(day.day, locale, 'short')}
            </text>
          ) : null,
        )}
      </svg>
    </Figure>
  );
}

export interface StatusGroup {
  key: string;
  label: string;
  active: number;
  inactive: number;
}

/** A horizontal bar per group, split into active and inactive clients, the biggest group the full width. */
export function StatusBarsChart({ title, groups, summary }: { title: string; groups: StatusGroup[]; summary: string }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...groups.map((group) => group.active + group.inactive));
  const percent = (count: number) => `${(count / max) * 100}%`;
  return (
    <Figure
      title={title}
      summary={summary}
      table={
        <>
          <thead>
            <tr>
              <th scope="col">{t('charts.group')}</th>
              <th scope="col">{t('status.active')}</th>
              <th scope="col">{t('status.inactive')}</th>
              <th scope="col">{t('charts.total')}</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((group) => (
              <tr key={group.key}>
                <th scope="row">{group.label}</th>
                <td>{group.active}</td>
                <td>{group.inactive}</td>
                <td>{group.active + group.inactive}</td>
              </tr>
            ))}
          </tbody>
        </>
      }
    >
      <p className="chart-legend" aria-hidden="true">
        <span className="chart-key chart-key-active" /> {t('status.active')}{' '}
        <span className="chart-key chart-key-inactive" /> {t('status.inactive')}
      </p>
      <ul className="chart-rows" aria-hidden="true">
        {groups.map((group) => (
          <li key={group.key} className="chart-row">
            <span className="chart-row-label">{group.label}</span>
            <span className="chart-row-bar">
              <span className="chart-part-active" style={{ width: percent(group.active) }} />
              <span className="chart-part-inactive" style={{ width: percent(group.inactive) }} />
            </span>
            <span className="chart-row-count">{group.active + group.inactive}</span>
          </li>
        ))}
      </ul>
    </Figure>
  );
}

/**
 * The monitor's and the card's charts, drawn with visx: Airbnb's maintained chart primitives for React 19 (d3's
 * scales, and bars and axes as React components), tree-shakable to the few pieces used here. They render plain
 * SVG through React, so the theme's CSS colours them in light and dark, the SVG stays hidden behind a text
 * alternative beside each chart (a summary for screen readers, and the numbers as a table for anyone), and the
 * library loads only with the pages that show a chart. Each chart is laid out for its measured width, so text
 * keeps its size from a phone to a desktop.
 */
import { AxisBottom, AxisLeft, AxisRight } from '@visx/axis';
import { useParentSize } from '@visx/responsive';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar, BarStackHorizontal } from '@visx/shape';
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

/** One row of a chart's table: its heading (the day, the group) and its numbers. */
interface TableRow {
  key: string;
  heading: string;
  cells: number[];
}

/**
 * A chart with its title, a summary read out in its place, and its numbers as a table to open: `columns` are the
 * table's headings, the first one over the rows' headings.
 */
function Figure({
  title,
  summary,
  columns,
  rows,
  children,
}: {
  title: string;
  summary: string;
  columns: string[];
  rows: TableRow[];
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
        <table>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.heading}</th>
                {row.cells.map((cell, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the cells are the row's fixed columns, in order.
                  <td key={index}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

// The width assumed until the chart's box is measured.
const WIDTH = 480;

/** An SVG as wide as its box, drawn for that width in CSS pixels, so its text neither shrinks nor swells. */
function Plot({ height, children }: { height: number; children: (width: number) => ReactNode }) {
  const { parentRef, width } = useParentSize({
    initialSize: { width: WIDTH },
    ignoreDimensions: ['height', 'top', 'left'],
  });
  // A hidden box measures 0: draw for the assumed width, which the viewBox scales to fit.
  const drawn = width > 0 ? width : WIDTH;
  return (
    <div ref={parentRef}>
      <svg className="chart-svg" viewBox={`0 0 ${drawn} ${height}`} aria-hidden="true">
        {children(drawn)}
      </svg>
    </div>
  );
}

const HEIGHT = 140;
const AXIS = 18;
const TOP = 12;
const AXIS_FONT = 11;

/** One bar per day, oldest on the left, today (the last day) marked; a date under every week or few. */
export function DayChart({ title, days, summary }: { title: string; days: DayCount[]; summary: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const max = Math.max(1, ...days.map((day) => day.count));
  const baseline = HEIGHT - AXIS;
  const y = scaleLinear({ domain: [0, max], range: [baseline, TOP] });
  const last = days.length - 1;
  const today = days[last]?.day;
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
      columns={[t('charts.day'), t('charts.changes')]}
      rows={days.map((day, index) => ({ key: day.day, heading: label(index, 'long'), cells: [day.count] }))}
    >
      <Plot height={HEIGHT}>
        {(width) => {
          // Bars 70% of their day's width, centred in it.
          const x = scaleBand({
            domain: days.map((day) => day.day),
            range: [0, width],
            paddingInner: 0.3,
            paddingOuter: 0.15,
          });
          return (
            <>
              <text className="chart-axis" x={0} y={TOP - 2}>
                {max}
              </text>
              <line className="chart-grid" x1={0} x2={width} y1={TOP} y2={TOP} />
              {days.map((day, index) => (
                <Bar
                  key={day.day}
                  className={index === last ? 'chart-bar chart-bar-today' : 'chart-bar'}
                  x={x(day.day)}
                  y={y(day.count)}
                  width={x.bandwidth()}
                  height={baseline - y(day.count)}
                >
                  <title>{`${label(index, 'long')}: ${day.count}`}</title>
                </Bar>
              ))}
              <AxisBottom
                scale={x}
                top={baseline}
                tickValues={days.filter((_, index) => (last - index) % labelEvery === 0).map((day) => day.day)}
                tickFormat={(day) => dayLabel(day, locale, 'short')}
                // Dates under the baseline, no tick marks; today's ends at its bar, so it stays inside the chart.
                hideTicks
                tickLength={AXIS - AXIS_FONT - 4}
                tickLabelProps={(day) => ({
                  className: 'chart-axis',
                  fontSize: AXIS_FONT,
                  textAnchor: day === today ? 'end' : 'middle',
                })}
                axisLineClassName="chart-baseline"
              />
            </>
          );
        }}
      </Plot>
    </Figure>
  );
}

export interface StatusGroup {
  key: string;
  label: string;
  active: number;
  inactive: number;
}

const ROW = 26;
const COUNTS = 44;
// About the width of one character of the row labels (13px, charts.css).
const CHAR = 8;
type Part = 'active' | 'inactive';
const PARTS: Part[] = ['active', 'inactive'];

/** A label cut to the characters that fit; the bar's tooltip and the table give it in full. */
function shortLabel(label: string, fits: number): string {
  const chars = Array.from(label);
  return chars.length > fits ? `${chars.slice(0, fits - 1).join('')}…` : label;
}

/** A horizontal bar per group, split into active and inactive clients, the biggest group the full width. */
export function StatusBarsChart({ title, groups, summary }: { title: string; groups: StatusGroup[]; summary: string }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...groups.map((group) => group.active + group.inactive));
  const height = Math.max(1, groups.length) * ROW;
  const byKey = new Map(groups.map((group) => [group.key, group]));
  const y = scaleBand({ domain: groups.map((group) => group.key), range: [0, height], padding: 0.25 });
  // The group's name left of its bar and its total at the right edge, both centred on the bar.
  const rowText = (className: string) => () => ({
    className,
    verticalAnchor: 'middle' as const,
    textAnchor: 'end' as const,
  });
  return (
    <Figure
      title={title}
      summary={summary}
      columns={[t('charts.group'), t('status.active'), t('status.inactive'), t('charts.total')]}
      rows={groups.map((group) => ({
        key: group.key,
        heading: group.label,
        cells: [group.active, group.inactive, group.active + group.inactive],
      }))}
    >
      <p className="chart-legend" aria-hidden="true">
        <span className="chart-key chart-key-active" /> {t('status.active')}{' '}
        <span className="chart-key chart-key-inactive" /> {t('status.inactive')}
      </p>
      <Plot height={height}>
        {(width) => {
          // Names get up to a third of the width; the biggest group's bar fills the rest up to the totals.
          const labels = Math.min(160, Math.round(width / 3));
          const x = scaleLinear({ domain: [0, max], range: [labels, width - COUNTS] });
          return (
            <>
              {groups.map((group) => (
                <Bar
                  key={group.key}
                  className="chart-track"
                  x={labels}
                  y={y(group.key)}
                  width={width - COUNTS - labels}
                  height={y.bandwidth()}
                  rx={3}
                />
              ))}
              {/* Colours come from charts.css, so a part's "colour" is its class. */}
              <BarStackHorizontal<StatusGroup, Part>
                data={groups}
                keys={PARTS}
                y={(group) => group.key}
                xScale={x}
                yScale={y}
                color={(part) => `chart-part-${part}`}
              >
                {(stacks) =>
                  stacks.flatMap((stack) =>
                    stack.bars.map((bar) => (
                      <Bar
                        key={`${stack.key}-${bar.bar.data.key}`}
                        className={bar.color}
                        x={bar.x}
                        y={bar.y}
                        width={bar.width}
                        height={bar.height}
                      >
                        <title>{`${bar.bar.data.label}, ${t(`status.${stack.key}`)}: ${bar.bar.data[stack.key]}`}</title>
                      </Bar>
                    )),
                  )
                }
              </BarStackHorizontal>
              <AxisLeft
                scale={y}
                left={labels - 6}
                hideAxisLine
                hideTicks
                tickLength={0}
                tickFormat={(key) => shortLabel(byKey.get(key)?.label ?? '', Math.floor((labels - 6) / CHAR))}
                tickLabelProps={rowText('chart-row-label')}
              />
              <AxisRight
                scale={y}
                left={width}
                hideAxisLine
                hideTicks
                tickLength={0}
                tickFormat={(key) => {
                  const group = byKey.get(key);
                  return group ? String(group.active + group.inactive) : '';
                }}
                tickLabelProps={rowText('chart-row-count')}
              />
            </>
          );
        }}
      </Plot>
    </Figure>
  );
}

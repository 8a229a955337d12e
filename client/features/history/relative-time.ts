import { useEffect, useState } from 'react';
import type { Locale } from '../../../shared/locale';

/** The time of day alone, for the end of a span that began the same day. */
export function formatTime(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(date);
}

const DAY_MS = 24 * 60 * 60 * 1000;
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
];

/**
 * "3 minutes ago" for a time within the last day, or null when it is older (shown as a date instead). Under a
 * minute reads as "now" (numeric: 'auto'), so seconds never tick by on screen.
 */
export function relativeTime(date: Date, now: number, locale: Locale): string | null {
  const ago = now - date.getTime();
  if (ago >= DAY_MS || ago < -60_000) return null;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  let amount = Math.max(0, ago) / 1000;
  if (amount < 60) return format.format(0, 'second');
  for (const [unit, next] of STEPS) {
    if (amount < next) return format.format(-Math.floor(amount), unit);
    amount /= next;
  }
  return null;
}

/** The current time, renewed every `everyMs`, so relative times stay true while the tab is open. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

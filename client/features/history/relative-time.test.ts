import { describe, expect, it } from 'vitest';
import { relativeTime } from './relative-time';

const now = Date.parse('2026-11-28T12:00:00Z');
const ago = (ms: number) => new Date(now - ms);
const MINUTE = 60_000;

describe('relative times in the history', () => {
  it('says "now" under a minute, then minutes and hours, in the user’s language', () => {
    expect(relativeTime(ago(20_000), now, 'en')).toBe('now');
    expect(relativeTime(ago(20_000), now, 'pl')).toBe('teraz');
    expect(relativeTime(ago(MINUTE), now, 'en')).toBe('1 minute ago');
    expect(relativeTime(ago(5 * MINUTE + 59_000), now, 'pl')).toBe('5 minut temu');
    expect(relativeTime(ago(3 * 60 * MINUTE), now, 'en')).toBe('3 hours ago');
    expect(relativeTime(ago(23 * 60 * MINUTE), now, 'pl')).toBe('23 godziny temu');
  });

  it('leaves a day or more, and a clock far ahead, to the full date', () => {
    expect(relativeTime(ago(24 * 60 * MINUTE), now, 'en')).toBeNull();
    expect(relativeTime(ago(-5 * MINUTE), now, 'en')).toBeNull();
    // A server clock a few seconds ahead of the browser's still reads "now".
    expect(relativeTime(ago(-5_000), now, 'en')).toBe('now');
  });
});

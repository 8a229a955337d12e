import { describe, expect, it } from 'vitest';
import { dayIn, daysEndingWith, isTimeZone } from './time-zone';

describe('time zones for per-day counts', () => {
  it('knows IANA zone names and nothing else', () => {
    for (const zone of ['Europe/Warsaw', 'UTC', 'Asia/Kolkata', 'America/St_Johns'])
      expect(isTimeZone(zone)).toBe(true);
    for (const zone of ['Mars/Olympus', '', 'Europe/Nowhere', 'GMT+25']) expect(isTimeZone(zone)).toBe(false);
  });

  it('puts an instant on its calendar day in the zone, half-hour offsets and summer time included', () => {
    const at = new Date('2026-03-29T22:45:00Z');
    expect(dayIn('UTC')(at)).toBe('2026-03-29');
    expect(dayIn('Europe/Warsaw')(at)).toBe('2026-03-30'); // UTC+2 from that morning
    expect(dayIn('Asia/Kolkata')(new Date('2026-03-29T18:29:00Z'))).toBe('2026-03-29'); // UTC+5:30
    expect(dayIn('Asia/Kolkata')(new Date('2026-03-29T18:30:00Z'))).toBe('2026-03-30');
    expect(dayIn('America/Los_Angeles')(at)).toBe('2026-03-29');
  });

  it('lists the days ending with a given one, across month and leap-year ends', () => {
    expect(daysEndingWith('2028-03-01', 3)).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(daysEndingWith('2026-01-01', 2)).toEqual(['2025-12-31', '2026-01-01']);
    expect(daysEndingWith('2026-10-25', 30)).toHaveLength(30);
  });
});

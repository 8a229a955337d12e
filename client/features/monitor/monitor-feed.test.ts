import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../live/cache-rules';
import { addToFeed, FEED_LIMIT, feedTypeOf, readLastSeen, unseenCount, writeLastSeen } from './monitor-feed';

function event(seq: number, type: LiveEvent['type'] = 'client.status'): LiveEvent {
  return { kind: 'event', seq, clientId: 1, type, actorId: 1, actorName: 'Anna', changes: {}, at: new Date() };
}

describe('the monitor feed', () => {
  it('puts the newest first, whatever order events are added in', () => {
    const feed = [event(2), event(5), event(3)].reduce(addToFeed, [] as LiveEvent[]);
    expect(feed.map((row) => row.seq)).toEqual([5, 3, 2]);
  });

  it('keeps each event once when a replay repeats it', () => {
    const feed = [event(1), event(2), event(2)].reduce(addToFeed, [] as LiveEvent[]);
    expect(feed).toHaveLength(2);
  });

  it('leaves out events the monitor does not show (plain edits, files, projects)', () => {
    const feed = [event(1, 'client.updated'), event(2, 'file.added'), event(3, 'note.added')].reduce(
      addToFeed,
      [] as LiveEvent[],
    );
    expect(feed.map((row) => row.type)).toEqual(['note.added']);
  });

  it('drops the oldest rows past the limit', () => {
    let feed: LiveEvent[] = [];
    for (let seq = 1; seq <= FEED_LIMIT + 5; seq++) feed = addToFeed(feed, event(seq));
    expect(feed).toHaveLength(FEED_LIMIT);
    expect(feed.at(-1)?.seq).toBe(6);
  });

  it('files deletions and restorations under one category', () => {
    expect(feedTypeOf(event(1, 'client.deleted'))).toBe('deleted');
    expect(feedTypeOf(event(1, 'client.restored'))).toBe('deleted');
  });

  it('counts an edit that changed the status with other fields as a status change, and no other edit', () => {
    const withStatus = { ...event(1, 'client.updated'), changes: { status: { before: 'active', after: 'inactive' } } };
    expect(feedTypeOf(withStatus)).toBe('status');
    expect(feedTypeOf(event(2, 'client.updated'))).toBeUndefined();
  });
});

describe('changes since you last looked', () => {
  const feed = [event(9), event(8, 'note.added'), event(7), event(4)];

  it('counts the shown events after the last seen seq', () => {
    expect(unseenCount(feed, new Set(['status']), 5)).toBe(2);
    expect(unseenCount(feed, new Set(['status', 'notes']), 5)).toBe(3);
  });

  it('counts nothing on a first look', () => {
    expect(unseenCount(feed, new Set(['status']), null)).toBe(0);
  });

  it('remembers the last seen seq, and ignores a damaged stored value', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
    };
    expect(readLastSeen(storage)).toBeNull();
    writeLastSeen(storage, 42);
    expect(readLastSeen(storage)).toBe(42);
    store.set('kartoteka.monitor.lastSeenSeq', 'garbage');
    expect(readLastSeen(storage)).toBeNull();
  });
});

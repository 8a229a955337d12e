import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../live/cache-rules';
import { eventTypesOf, feedTypeOf, readLastSeen, unseenCount, writeLastSeen } from './monitor-feed';

function event(seq: number, type: LiveEvent['type'] = 'client.status'): LiveEvent {
  return { kind: 'event', seq, clientId: 1, type, actorId: 1, actorName: 'Anna', changes: {}, at: new Date() };
}

describe('the monitor’s categories', () => {
  it('asks the feed for the log’s event types behind the chosen categories', () => {
    expect(eventTypesOf(new Set(['status']))).toEqual(['client.status']);
    expect(eventTypesOf(new Set(['deleted', 'notes']))).toEqual([
      'client.deleted',
      'client.restored',
      'note.added',
      'note.updated',
      'note.deleted',
    ]);
  });

  it('files deletions and restorations under one category', () => {
    expect(feedTypeOf(event(1, 'client.deleted'))).toBe('deleted');
    expect(feedTypeOf(event(1, 'client.restored'))).toBe('deleted');
  });

  it('counts an edit that changed the status with other fields as a status change, and no other edit', () => {
    const withStatus = { ...event(1, 'client.updated'), changes: { status: { before: 'active', after: 'inactive' } } };
    expect(feedTypeOf(withStatus)).toBe('status');
    expect(feedTypeOf(event(2, 'client.updated'))).toBeUndefined();
    expect(feedTypeOf(event(3, 'file.added'))).toBeUndefined();
  });
});

describe('changes since you last looked', () => {
  const feed = [event(9), event(8, 'note.added'), event(7), event(4)];

  it('counts the listed events after the last seen seq', () => {
    expect(unseenCount(feed, 5)).toBe(3);
    expect(unseenCount(feed, 9)).toBe(0);
  });

  it('counts nothing on a first look', () => {
    expect(unseenCount(feed, null)).toBe(0);
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

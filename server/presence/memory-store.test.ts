import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPresenceStore } from './memory-store';

const TTL = 30_000;
let store: MemoryPresenceStore;

afterEach(async () => {
  await store?.close();
});

const entry = (tabId: string, clientId: number, field: string | null = null) => ({
  userId: 7,
  name: 'Anna',
  portal: false,
  tabId,
  clientId,
  field,
});

describe('the in-memory presence store', () => {
  it('keeps an entry while heartbeats come, and drops it a TTL after the last one', async () => {
    let now = 1_000_000;
    store = new MemoryPresenceStore(TTL, () => now);
    await store.set(entry('tab', 1));
    now += TTL - 1;
    await store.expire();
    expect(await store.snapshot(1)).toHaveLength(1);
    await store.set(entry('tab', 1, 'city')); // a heartbeat just in time
    now += TTL - 1;
    await store.expire();
    expect(await store.snapshot(1)).toMatchObject([{ field: 'city' }]);
    now += 1;
    await store.expire();
    expect(await store.snapshot()).toEqual([]);
  });

  it('tells listeners which cards changed, and stays quiet for a heartbeat that changes nothing', async () => {
    store = new MemoryPresenceStore(TTL);
    const heard: number[][] = [];
    store.subscribe((clientIds) => heard.push(clientIds));
    await store.set(entry('tab', 1));
    await store.set(entry('tab', 1));
    await store.set(entry('tab', 1, 'email'));
    await store.set(entry('tab', 2, 'email'));
    await store.leave(7, 'tab');
    await store.leave(7, 'tab');
    expect(heard).toEqual([[1], [1], [1, 2], [2]]);
  });

  it('keeps one entry per tab of a user, and lets nobody else remove it', async () => {
    store = new MemoryPresenceStore(TTL);
    await store.set(entry('a', 1));
    await store.set(entry('b', 1));
    await store.set({ ...entry('a', 1), userId: 8, name: 'Jan' });
    await store.leave(8, 'b');
    expect((await store.snapshot(1)).map((held) => `${held.userId}/${held.tabId}`).sort()).toEqual([
      '7/a',
      '7/b',
      '8/a',
    ]);
  });
});

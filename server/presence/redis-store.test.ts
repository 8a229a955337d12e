import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../faults/tcp-proxy';
import { RedisLink } from '../live/redis';
import { eventually } from '../live/testing';
import { redisEndpoint, testRedis, throughPort } from '../test/redis';
import { RedisPresenceStore } from './redis-store';

/** Presence shared by instances on a real Redis; each test under a prefix of its own. */
const TTL = 30_000;
const redis = testRedis();
let proxy: TcpProxy;
let tests = 0;
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  proxy = await startTcpProxy(redisEndpoint(redis));
});

afterEach(async () => {
  proxy.restore();
  for (const closable of opened.splice(0).reverse()) await closable.close();
  tests++;
});

afterAll(async () => {
  await proxy.close();
  await redis.drop();
});

/** One instance's store, on the current test's prefix; `clock` is shared by the instances of a test. */
async function instance(options: { clock?: () => number; ttlMs?: number; viaProxy?: boolean } = {}) {
  const settings = options.viaProxy ? throughPort(redis, proxy.port) : redis;
  const link = await RedisLink.connect({ ...settings, prefix: `${redis.prefix}${tests}:` });
  const store = await RedisPresenceStore.create(link, options.ttlMs ?? TTL, options.clock);
  opened.push(link, store);
  const heard: number[][] = [];
  store.subscribe((clientIds) => heard.push(clientIds));
  return { store, heard, link };
}

const entry = (tabId: string, clientId: number, field: string | null = null) => ({
  userId: 7,
  name: 'Anna',
  portal: false,
  tabId,
  clientId,
  field,
});

describe('the Redis presence store', () => {
  it('shows a tab set on one instance to the others, and tells their listeners', async () => {
    const a = await instance();
    const b = await instance();
    await a.store.set(entry('tab', 1, 'city'));
    expect(await b.store.snapshot(1)).toMatchObject([{ userId: 7, tabId: 'tab', clientId: 1, field: 'city' }]);
    await eventually(() => b.heard.length === 1, 'the change on the other instance');
    expect(b.heard).toEqual([[1]]);
    expect(a.heard).toEqual([[1]]);

    await b.store.leave(7, 'tab');
    expect(await a.store.snapshot()).toEqual([]);
    await eventually(() => a.heard.length === 2, 'the leave on the first instance');
  });

  it('keeps an entry while heartbeats come, with its arrival time, and drops it a TTL after the last one', async () => {
    let now = Date.now();
    const a = await instance({ clock: () => now });
    const b = await instance({ clock: () => now });
    await a.store.set(entry('tab', 1));
    const [first] = await b.store.snapshot(1);
    now += TTL - 1;
    await b.store.expire();
    await a.store.set(entry('tab', 1, 'city')); // a heartbeat just in time
    now += TTL - 1;
    await b.store.expire();
    expect(await b.store.snapshot(1)).toMatchObject([{ field: 'city', since: first?.since }]);
    now += 1;
    // Past its deadline the entry is not shown even before a sweep, and the sweep tells everyone.
    expect(await b.store.snapshot()).toEqual([]);
    await b.store.expire();
    await eventually(() => a.heard.length === 3, 'the expiry on the first instance');
    expect(a.heard.at(-1)).toEqual([1]);
  });

  it('tells listeners which cards changed, and stays quiet for a heartbeat that changes nothing', async () => {
    const a = await instance();
    await a.store.set(entry('tab', 1));
    await a.store.set(entry('tab', 1));
    await a.store.set(entry('tab', 1, 'email'));
    await a.store.set(entry('tab', 2, 'email'));
    await a.store.leave(7, 'tab');
    await a.store.leave(7, 'tab');
    expect(a.heard).toEqual([[1], [1], [1, 2], [2]]);
  });

  it('lets the tabs of an instance that died disappear by themselves', async () => {
    const dying = await instance({ ttlMs: 300 });
    const survivor = await instance({ ttlMs: 300 });
    await dying.store.set(entry('tab', 4));
    expect(await survivor.store.snapshot(4)).toHaveLength(1);
    // The instance stops without a word: no leave, no more heartbeats.
    await opened.splice(0, 2).reverse()[0]?.close();
    await eventually(async () => (await survivor.store.snapshot(4)).length === 0, 'the dead tab gone');
    await eventually(() => survivor.heard.length === 2, 'the expiry heard');
    expect(survivor.heard).toEqual([[4], [4]]);
  });

  it('keeps serving the last state while Redis is unreachable, and wakes its listeners when it is back', async () => {
    const a = await instance();
    const b = await instance({ viaProxy: true });
    await a.store.set(entry('tab', 1));
    expect(await b.store.snapshot()).toHaveLength(1);
    proxy.cut();
    // Changes made meanwhile are dropped without an error (heartbeats set them again).
    await b.store.set(entry('other', 2));
    await eventually(() => !b.link.ready, 'the connection noticing the cut');
    await b.store.leave(7, 'tab');
    await a.store.set(entry('tab', 3));
    expect(await b.store.snapshot()).toMatchObject([{ clientId: 1 }]);
    const before = b.heard.length;
    proxy.restore();
    await eventually(() => b.heard.length > before, 'the wake-up after the outage');
    expect(b.heard.at(-1)?.sort()).toEqual([1, 3]);
    expect(await b.store.snapshot()).toMatchObject([{ clientId: 3 }]);
  });
});

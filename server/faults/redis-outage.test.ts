import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, subscribeEvents } from '../live/testing';
import type { CardPresence } from '../presence/service';
import { type InstanceSession, type Instances, startInstances } from '../test/instances';
import { testRedisUrl } from '../test/redis';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

/**
 * Redis goes away (issue 7) under two instances: a TCP proxy between them and Redis cuts every connection and
 * refuses new ones, as a Redis restart would, in the middle of a stream of edits. The instances keep serving;
 * when Redis is back, subscribers on the other instance catch up from the log with every event exactly once, in
 * order, and presence is shared again.
 */
let proxy: TcpProxy;
let instances: Instances;
let onA: InstanceSession;
let onB: InstanceSession;
let instanceB: Instances['apps'][number];

beforeAll(async () => {
  const redis = new URL(testRedisUrl());
  proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
  redis.host = `127.0.0.1:${proxy.port}`;
  instances = await startInstances(2, { redisUrl: () => redis.toString(), realtime: { presenceCoalesceMs: 10 } });
  const [a, b] = instances.apps;
  if (!a || !b) throw new Error('two instances expected');
  onA = await instances.as(a, 'agent');
  onB = await instances.as(b, 'agent');
  instanceB = b;
});

afterAll(async () => {
  await instances?.close();
  await proxy?.close();
});

it('loses no event and recovers presence when Redis is cut off in the middle of a stream of edits', async () => {
  const client = await onA.api.clients.create.mutate({ name: 'Through The Outage', city: 'City 0' });
  const received = subscribeEvents(onB.ws(), { lastEventId: '0', clientId: client.id });
  const snapshots: CardPresence[][] = [];
  onB
    .ws()
    .presence.watch.subscribe({ clientId: client.id, tabId: 'b-tab' }, { onData: (cards) => snapshots.push(cards) });
  const tabsSeenOnB = () => snapshots.at(-1)?.[0]?.viewers.map((viewer) => viewer.tabId) ?? [];
  await onA.api.presence.set.mutate({ clientId: client.id, tabId: 'a-tab', field: null });
  await eventually(() => tabsSeenOnB().includes('a-tab'), 'presence from A on B before the outage');

  let city = 'City 0';
  const edit = async (n: number) => {
    const value = `City ${n}`;
    const { conflicts } = await onA.api.clients.update.mutate({
      id: client.id,
      changes: { city: { base: city, value } },
    });
    expect(conflicts).toEqual([]);
    city = value;
  };
  for (let n = 1; n <= 5; n++) await edit(n);
  await eventually(() => received.events().length >= 6, 'the edits before the outage on B');

  proxy.cut();
  // Redis is gone: A keeps saving, and signing in on B (counted in memory meanwhile) still works.
  for (let n = 6; n <= 15; n++) await edit(n);
  const late = await instances.as(instanceB, 'viewer');
  expect((await late.api.clients.get.query({ id: client.id })).city).toBe('City 15');

  // Back: with no further edit to wake it, B catches up with the log by itself.
  proxy.restore();
  await eventually(() => received.events().length >= 16, 'the edits made during the outage on B');
  for (let n = 16; n <= 20; n++) await edit(n);
  await eventually(() => received.events().length >= 21, 'every event on B after the outage');
  const seqs = received.events().map((event) => event.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(seqs).size).toBe(seqs.length);
  expect(received.events().map((event) => event.changes.city?.after)).toEqual(
    Array.from({ length: 21 }, (_, n) => `City ${n}`),
  );
  expect(received.error).toBeNull();

  // Presence is shared again: the next heartbeat from A (here in another field) shows on B.
  await onA.api.presence.set.mutate({ clientId: client.id, tabId: 'a-tab-2', field: 'city' });
  await eventually(() => tabsSeenOnB().includes('a-tab-2'), 'presence from A on B after the outage');
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../live/testing';
import { apiAt, signInCookie } from '../load/session';
import type { CardPresence } from '../presence/service';
import { CLUSTER_ADMIN, type Cluster, startCluster, type TrackedSocket } from './cluster';
import { acknowledged, editCity, editors, expectNothingLost, subscribersThrough } from './edit-stream';
import { type PrivateRedis, startPrivateRedis } from './private-redis';

/**
 * Redis killed and started again (empty) in the middle of a stream of edits through two instances behind nginx:
 * the instances keep serving, every subscriber still receives every event once, in order (those written on the
 * other instance while Redis was away come from the log when it is back), and presence comes back with the
 * next heartbeat. A redis-server of the test's own, since the machine's Redis is shared.
 */
const SUBSCRIBERS = 6;
const EDITORS = 2;
const EDITS_PER_PHASE = 15;

let redis: PrivateRedis;
let cluster: Cluster;
let cookie: string;
const sockets: TrackedSocket[] = [];

beforeAll(async () => {
  redis = await startPrivateRedis();
  cluster = await startCluster({ instances: 2, redisUrl: redis.url });
  cookie = await signInCookie(cluster.url, CLUSTER_ADMIN.email, CLUSTER_ADMIN.password);
}, 180_000);

afterAll(async () => {
  for (const socket of sockets) await socket.close();
  await cluster?.close();
  await redis?.stop();
});

it('loses no event when Redis restarts mid-stream, and presence recovers', async () => {
  const api = apiAt(cluster.url, cookie);
  const all = await editors(api, EDITORS);
  const { received, start } = await subscribersThrough(cluster.url, cookie, SUBSCRIBERS, sockets);

  // A watcher on one instance sees a visitor on the other.
  const [watcher] = sockets;
  const visitor = sockets.find((socket) => socket.instances[0] !== watcher?.instances[0]);
  if (!watcher || !visitor) throw new Error('sockets on both instances expected');
  const card = all[0]?.clientId ?? 0;
  const snapshots: CardPresence[][] = [];
  const watch = watcher.api.presence.watch.subscribe(
    { clientId: card, tabId: 'watcher-tab' },
    { onData: (cards) => snapshots.push(cards) },
  );
  const viewers = () => snapshots.at(-1)?.[0]?.viewers.map((viewer) => `${viewer.tabId}:${viewer.field}`) ?? [];
  await visitor.api.presence.set.mutate({ clientId: card, tabId: 'visitor-tab', field: 'city' });
  await eventually(() => viewers().includes('visitor-tab:city'), 'the visitor seen before the restart');

  let running = true;
  const work = all.map((editor, i) => editCity(api, `R${i}`, editor, () => running));
  const phase = async (what: string) => {
    const from = acknowledged(all);
    await eventually(() => acknowledged(all) >= from + EDITS_PER_PHASE, what, 60_000);
  };
  await phase('edits before Redis goes away');
  await redis.kill();
  await phase('edits while Redis is away');
  await redis.restart();
  await phase('edits after Redis is back');
  running = false;
  await Promise.all(work);

  const events = await expectNothingLost(cluster.databaseUrl, received, all, start);
  // Nothing failed: the instances served throughout.
  expect(all.flatMap((editor) => editor.unanswered)).toEqual([]);

  // The restarted Redis is empty; the visitor's next heartbeat puts it back where the watcher sees it.
  await eventually(async () => {
    await visitor.api.presence.set.mutate({ clientId: card, tabId: 'visitor-tab', field: 'state' });
    return viewers().includes('visitor-tab:state');
  }, 'the visitor seen again after the restart');
  watch.unsubscribe();
  console.log(
    `scale redis restart: ${acknowledged(all)} edits acknowledged, ${events} events reached every subscriber once, in order`,
  );
}, 180_000);

import { readdirSync } from 'node:fs';
import { Client as PgClient } from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrationsPath } from '../../mikro-orm.config';
import { eventually, subscribeEvents } from '../live/testing';
import { apiAt, signInCookie } from '../load/session';
import type { CardPresence } from '../presence/service';
import { failure } from '../test/harness';
import { CLUSTER_ADMIN, type Cluster, socketThrough, startCluster, type TrackedSocket } from './cluster';

/**
 * Three app processes on PostgreSQL and Redis behind nginx (deploy/nginx.conf), started at the same moment on an
 * empty database, as a scaled-out deployment runs them: WebSocket clients land on different instances through
 * the one address, and what happens through one instance is seen through every other.
 */
let cluster: Cluster;
let cookie: string;
const sockets: TrackedSocket[] = [];

beforeAll(async () => {
  cluster = await startCluster({ instances: 3 });
  cookie = await signInCookie(cluster.url, CLUSTER_ADMIN.email, CLUSTER_ADMIN.password);
  for (let i = 0; i < 6; i++) sockets.push(socketThrough(cluster.url, cookie));
  await eventually(() => sockets.every((socket) => socket.instances.length === 1), 'every socket connected');
}, 180_000);

afterAll(async () => {
  for (const socket of sockets) await socket.close();
  await cluster?.close();
});

/** The first socket on `instance`, and one on any other instance. */
function socketsOnTwoInstances(): [TrackedSocket, TrackedSocket] {
  const [first] = sockets;
  const other = sockets.find((socket) => socket.instances[0] !== first?.instances[0]);
  if (!first || !other) throw new Error('sockets on two instances expected');
  return [first, other];
}

it('runs the migrations once when the instances start together on an empty database, and every instance serves', async () => {
  const db = new PgClient({ connectionString: cluster.databaseUrl });
  await db.connect();
  try {
    const applied = await db.query<{ name: string }>('select name from mikro_orm_migrations order by name');
    const files = readdirSync(migrationsPath('postgresql'))
      .filter((file) => /^Migration\d+.*\.ts$/.test(file))
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    expect(applied.rows.map((row) => row.name)).toEqual(files);
    const admins = await db.query('select id from app_user where email = $1', [CLUSTER_ADMIN.email]);
    expect(admins.rowCount).toBe(1);
  } finally {
    await db.end();
  }
  for (const instance of cluster.instances) {
    const health = await fetch(`${instance.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await apiAt(instance.url, cookie).auth.me.query())?.email).toBe(CLUSTER_ADMIN.email);
  }
});

it('spreads WebSocket connections over the instances behind the one address', () => {
  const landed = new Set(sockets.map((socket) => socket.instances[0]));
  expect([...landed].sort()).toEqual(cluster.instances.map((instance) => instance.address).sort());
});

it('brings an edit made through one instance to live subscribers on every instance', async () => {
  const received = sockets.map((socket) => subscribeEvents(socket.api));
  await eventually(() => received.every((one) => one.heads().length > 0), 'every head marker');
  const [editor] = socketsOnTwoInstances();
  const client = await editor.api.clients.create.mutate({ name: 'Seen Everywhere', city: 'Start' });
  await editor.api.clients.update.mutate({ id: client.id, changes: { city: { base: 'Start', value: 'Moved' } } });
  await eventually(() => received.every((one) => one.events().length === 2), 'both events on every socket');
  for (const one of received) {
    expect(one.events()).toMatchObject([
      { clientId: client.id, type: 'client.created' },
      { clientId: client.id, type: 'client.updated', changes: { city: { before: 'Start', after: 'Moved' } } },
    ]);
    expect(one.error).toBeNull();
    one.stop();
  }
});

it('shows presence set through one instance to a watcher on another, and its leaving', async () => {
  const [watcher, visitor] = socketsOnTwoInstances();
  const client = await visitor.api.clients.create.mutate({ name: 'Watched Across' });
  const snapshots: CardPresence[][] = [];
  const watch = watcher.api.presence.watch.subscribe(
    { clientId: client.id, tabId: 'watcher-tab' },
    { onData: (cards) => snapshots.push(cards) },
  );
  await eventually(() => snapshots.length > 0, 'the first snapshot');
  const viewers = () => snapshots.at(-1)?.[0]?.viewers.map((viewer) => `${viewer.tabId}:${viewer.field}`) ?? [];
  await visitor.api.presence.set.mutate({ clientId: client.id, tabId: 'visitor-tab', field: 'city' });
  await eventually(() => viewers().includes('visitor-tab:city'), 'the visitor seen by the watcher');
  await visitor.api.presence.leave.mutate({ tabId: 'visitor-tab' });
  await eventually(() => !viewers().includes('visitor-tab:city'), 'the visitor gone');
  watch.unsubscribe();
});

it('detects a conflict between saves made through different instances', async () => {
  const [mine, theirs] = socketsOnTwoInstances();
  const client = await mine.api.clients.create.mutate({ name: 'Contested Across', city: 'Base' });
  const first = await mine.api.clients.update.mutate({
    id: client.id,
    changes: { city: { base: 'Base', value: 'Mine' } },
  });
  expect(first.conflicts).toEqual([]);
  const second = await theirs.api.clients.update.mutate({
    id: client.id,
    changes: { city: { base: 'Base', value: 'Theirs' } },
  });
  expect(second.conflicts).toMatchObject([{ field: 'city', yours: 'Theirs', theirs: 'Mine' }]);
  expect(second.client.city).toBe('Mine');

  await mine.api.clients.delete.mutate({ ids: [client.id] });
  const refused = await failure(
    theirs.api.clients.update.mutate({ id: client.id, changes: { city: { base: 'Mine', value: 'After' } } }),
  );
  expect(refused.code).toBe('CONFLICT');
});

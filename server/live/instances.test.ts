import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CardPresence } from '../presence/service';
import { failure } from '../test/harness';
import { type InstanceSession, type Instances, startInstances } from '../test/instances';
import { eventually, subscribeEvents } from './testing';

/**
 * Two app instances in one process on one PostgreSQL database and one Redis prefix, as a scaled-out deployment
 * runs them (the load balancer in front is deploy/'s business): what happens through one is seen through the other.
 */
let instances: Instances;
let onA: InstanceSession;
let onB: InstanceSession;

beforeAll(async () => {
  instances = await startInstances(2, { realtime: { presenceCoalesceMs: 10 } });
  const [a, b] = instances.apps;
  if (!a || !b) throw new Error('two instances expected');
  onA = await instances.as(a, 'manager');
  onB = await instances.as(b, 'agent');
});

afterAll(async () => {
  await instances?.close();
});

it('brings an edit made through one instance to a live subscriber on the other', async () => {
  const received = subscribeEvents(onB.ws());
  await eventually(() => received.heads().length > 0, 'the head marker on B');
  const client = await onA.api.clients.create.mutate({ name: 'Across Instances', city: 'Start' });
  await onA.api.clients.update.mutate({ id: client.id, changes: { city: { base: 'Start', value: 'Moved' } } });
  await eventually(() => received.events().length === 2, 'both events on B');
  expect(received.events()).toMatchObject([
    { clientId: client.id, type: 'client.created' },
    { clientId: client.id, type: 'client.updated', changes: { city: { before: 'Start', after: 'Moved' } } },
  ]);
  expect(received.error).toBeNull();
  received.stop();
});

it('shows presence set through one instance to a watcher on the other, and its leaving', async () => {
  const client = await onA.api.clients.create.mutate({ name: 'Watched Card' });
  const snapshots: CardPresence[][] = [];
  const watch = onB
    .ws()
    .presence.watch.subscribe({ clientId: client.id, tabId: 'b-tab' }, { onData: (cards) => snapshots.push(cards) });
  await eventually(() => snapshots.length > 0, 'the first snapshot on B');
  await onA.api.presence.set.mutate({ clientId: client.id, tabId: 'a-tab', field: 'city' });
  const viewers = () => snapshots.at(-1)?.[0]?.viewers.map((viewer) => `${viewer.tabId}:${viewer.field}`) ?? [];
  await eventually(() => viewers().includes('a-tab:city'), 'the tab on A seen on B');
  await onA.api.presence.leave.mutate({ tabId: 'a-tab' });
  await eventually(() => !viewers().includes('a-tab:city'), 'the tab gone on B');
  watch.unsubscribe();
});

it('detects an edit that conflicts with one saved through the other instance', async () => {
  const client = await onA.api.clients.create.mutate({ name: 'Contested', city: 'Base' });
  const mine = await onA.api.clients.update.mutate({
    id: client.id,
    changes: { city: { base: 'Base', value: 'Mine' } },
  });
  expect(mine.conflicts).toEqual([]);
  const theirs = await onB.api.clients.update.mutate({
    id: client.id,
    changes: { city: { base: 'Base', value: 'Theirs' } },
  });
  expect(theirs.conflicts).toMatchObject([{ field: 'city', yours: 'Theirs', theirs: 'Mine' }]);
  expect(theirs.client.city).toBe('Mine');

  await onA.api.clients.delete.mutate({ ids: [client.id] });
  const refused = await failure(
    onB.api.clients.update.mutate({ id: client.id, changes: { city: { base: 'Mine', value: 'After' } } }),
  );
  expect(refused.code).toBe('CONFLICT');
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../live/testing';
import { ADMIN, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import type { CardPresence } from './service';

let t: TestApp;
let admin: SignedIn;
let agent: SignedIn;

beforeAll(async () => {
  t = await startTestApp({ realtime: { presenceTtlMs: 1_000 } });
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  agent = await t.as('agent');
});

afterAll(async () => {
  await t?.close();
});

it('drops a tab whose heartbeats stopped', async () => {
  const card = (await admin.api.clients.create.mutate({ name: 'Expiring' })).id;
  const snapshots: CardPresence[][] = [];
  const subscription = admin
    .ws()
    .presence.watch.subscribe(
      { clientId: card, tabId: 'admin-tab' },
      { onData: (snapshot) => snapshots.push(snapshot) },
    );
  // A tab that beat once, then went silent without closing anything.
  await agent.api.presence.set.mutate({ clientId: card, tabId: 'silent', field: 'city' });
  const viewers = () => snapshots.at(-1)?.[0]?.viewers.length ?? 0;
  await eventually(() => viewers() === 1, 'the agent on the card');
  expect(snapshots.at(-1)?.[0]?.viewers[0]).toMatchObject({ tabId: 'silent', field: 'city' });
  await eventually(() => viewers() === 0, 'the agent gone after its last heartbeat expired');
  subscription.unsubscribe();
});

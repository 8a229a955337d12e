import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type SubscriptionError, subscriptionError } from '../live/testing';
import { ADMIN, type ApiClient, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import type { CardPresence } from './service';

let t: TestApp;
let admin: SignedIn;
let agent: SignedIn;
let manager: SignedIn;
let managerId: number;
let managerName: string;

beforeAll(async () => {
  // The default 30 s expiry: whatever disappears in these tests went because its tab left, not by expiry.
  t = await startTestApp({ realtime: { sessionCheckMs: 300 } });
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  agent = await t.as('agent');
  manager = await t.as('manager');
  const me = await manager.api.auth.me.query();
  managerId = me?.id ?? 0;
  managerName = me?.name ?? '';
});

afterAll(async () => {
  await t?.close();
});

interface Watching {
  snapshots: CardPresence[][];
  latest(): CardPresence[] | undefined;
  error: SubscriptionError | null;
  stop(): void;
}

function watch(api: ApiClient, input: { clientId?: number; tabId: string }): Watching {
  const watching: Watching = {
    snapshots: [],
    latest: () => watching.snapshots.at(-1),
    error: null,
    stop: () => subscription.unsubscribe(),
  };
  const subscription = api.presence.watch.subscribe(input, {
    onData: (snapshot) => watching.snapshots.push(snapshot),
    onError: (error) => {
      watching.error = subscriptionError(error);
    },
  });
  return watching;
}

/** The viewers of `clientId` in the watcher's latest snapshot, as "name@tab:field" for short comparisons. */
function viewersOn(watching: Watching, clientId: number): string[] {
  const card = watching.latest()?.find((entry) => entry.clientId === clientId);
  return (card?.viewers ?? []).map((viewer) => `${viewer.name}@${viewer.tabId}:${viewer.field ?? '-'}`);
}

const newCard = async (name: string, extra: { loginAllowed?: boolean } = {}) =>
  (await admin.api.clients.create.mutate({ name, ...extra })).id;

describe('presence on a card', () => {
  it('shows who is on the card and which field they edit, and drops them at once when their socket closes', async () => {
    const card = await newCard('Presence Card');
    const watcher = watch(agent.ws(), { clientId: card, tabId: 'agent-tab' });
    await eventually(() => watcher.snapshots.length > 0, 'the first snapshot');
    expect(watcher.latest()).toEqual([{ clientId: card, viewers: [] }]);

    // The manager's tab: its watch over its own socket, its heartbeats over HTTP, as in the browser.
    const managerTab = manager.connection();
    const own = watch(managerTab.api, { clientId: card, tabId: 'manager-tab' });
    await manager.api.presence.set.mutate({ clientId: card, tabId: 'manager-tab', field: 'companyName' });
    await eventually(() => viewersOn(watcher, card).length === 1, 'the manager on the card');
    const [entry] = watcher.latest()?.[0]?.viewers ?? [];
    expect(entry).toMatchObject({
      userId: managerId,
      name: managerName,
      tabId: 'manager-tab',
      field: 'companyName',
      portal: false,
    });
    expect(entry?.since).toBeInstanceOf(Date);
    await eventually(() => viewersOn(own, card).length === 1, 'the manager seeing itself');

    await manager.api.presence.set.mutate({ clientId: card, tabId: 'manager-tab', field: null });
    await eventually(() => viewersOn(watcher, card)[0] === `${managerName}@manager-tab:-`, 'the field left');
    // A heartbeat keeps the time of arrival.
    expect(watcher.latest()?.[0]?.viewers[0]?.since).toEqual(entry?.since);

    await managerTab.close();
    await eventually(() => viewersOn(watcher, card).length === 0, 'the manager gone with its socket');
    expect(watcher.error).toBeNull();
    watcher.stop();
  });

  it('keeps a tab with two open watches until both end, and removes it when the tab leaves the card', async () => {
    const card = await newCard('Two Watches');
    const watcher = watch(agent.ws(), { clientId: card, tabId: 'observer' });
    const socket = manager.ws();
    const cardWatch = watch(socket, { clientId: card, tabId: 'tab-2' });
    const listWatch = watch(socket, { tabId: 'tab-2' });
    await eventually(() => cardWatch.snapshots.length > 0 && listWatch.snapshots.length > 0, 'both watches open');
    await manager.api.presence.set.mutate({ clientId: card, tabId: 'tab-2', field: 'city' });
    await eventually(() => viewersOn(watcher, card).length === 1, 'the manager on the card');

    cardWatch.stop();
    await manager.api.presence.set.mutate({ clientId: card, tabId: 'tab-2', field: 'state' });
    await eventually(() => viewersOn(watcher, card)[0] === `${managerName}@tab-2:state`, 'still there, on state');

    await manager.api.presence.set.mutate({ clientId: null, tabId: 'tab-2', field: null });
    await eventually(() => viewersOn(watcher, card).length === 0, 'gone after leaving the card');
    await manager.api.presence.set.mutate({ clientId: card, tabId: 'tab-2', field: null });
    await eventually(() => viewersOn(watcher, card).length === 1, 'back on the card');
    await manager.api.presence.leave.mutate({ tabId: 'tab-2' });
    await eventually(() => viewersOn(watcher, card).length === 0, 'gone after presence.leave');
    listWatch.stop();
    watcher.stop();
  });

  it('lists every card that has viewers when watched without clientId (the list’s row markers)', async () => {
    const first = await newCard('Row One');
    const second = await newCard('Row Two');
    const rows = watch(agent.ws(), { tabId: 'list-tab' });
    await eventually(() => rows.snapshots.length > 0, 'the first snapshot');
    const before = rows.latest()?.length ?? 0;

    await manager.api.presence.set.mutate({ clientId: first, tabId: 'row-a', field: null });
    await admin.api.presence.set.mutate({ clientId: second, tabId: 'row-b', field: 'email' });
    await eventually(
      () => viewersOn(rows, first).length === 1 && viewersOn(rows, second).length === 1,
      'both cards marked',
    );
    expect(rows.latest()?.length).toBe(before + 2);
    // Moving to another card moves the marker.
    await manager.api.presence.set.mutate({ clientId: second, tabId: 'row-a', field: null });
    await eventually(
      () => viewersOn(rows, first).length === 0 && viewersOn(rows, second).length === 2,
      'the marker moved',
    );
    expect(rows.latest()?.some((row) => row.clientId === first)).toBe(false);
    await manager.api.presence.leave.mutate({ tabId: 'row-a' });
    await admin.api.presence.leave.mutate({ tabId: 'row-b' });
    await eventually(() => viewersOn(rows, second).length === 0, 'no markers left');
    rows.stop();
  });

  it('ends the watch of a session that signed out, and takes its tab off the card', async () => {
    const card = await newCard('Signed Out');
    const leaving = await t.as('agent');
    const watcher = watch(agent.ws(), { clientId: card, tabId: 'stays' });
    const theirs = watch(leaving.ws(), { clientId: card, tabId: 'leaves' });
    await leaving.api.presence.set.mutate({ clientId: card, tabId: 'leaves', field: null });
    await eventually(() => viewersOn(watcher, card).length === 1, 'the other agent on the card');
    await leaving.api.auth.logout.mutate();
    await eventually(() => theirs.error !== null, 'the end of the watch');
    expect(theirs.error?.code).toBe('UNAUTHORIZED');
    await eventually(() => viewersOn(watcher, card).length === 0, 'the tab gone');
    watcher.stop();
  });
});

describe('who sees whom', () => {
  it('shows a portal user to staff (flagged), and shows a portal user neither staff nor other cards', async () => {
    const own = await newCard('Portal Presence', { loginAllowed: true });
    const foreign = await newCard('Foreign Presence');
    const portal = await t.as('client', { clientId: own });
    const portalId = (await portal.api.auth.me.query())?.id;

    const staffRows = watch(agent.ws(), { tabId: 'staff-rows' });
    const portalRows = watch(portal.ws(), { tabId: 'portal-rows' });
    const portalCard = watch(portal.ws(), { clientId: own, tabId: 'portal-card' });
    await manager.api.presence.set.mutate({ clientId: own, tabId: 'staff-on-own', field: 'city' });
    await manager.api.presence.set.mutate({ clientId: foreign, tabId: 'staff-on-foreign', field: null });
    await portal.api.presence.set.mutate({ clientId: own, tabId: 'portal-card', field: 'mobile' });

    await eventually(
      () => viewersOn(staffRows, own).length === 2 && viewersOn(staffRows, foreign).length === 1,
      'staff seeing everyone',
    );
    expect(staffRows.latest()?.find((row) => row.clientId === own)?.viewers).toContainEqual(
      expect.objectContaining({ userId: portalId, field: 'mobile', portal: true }),
    );
    await eventually(() => viewersOn(portalCard, own).length === 1, 'the portal user seeing itself');
    expect(portalCard.latest()?.[0]?.viewers[0]).toMatchObject({ userId: portalId, portal: true });
    await eventually(() => viewersOn(portalRows, own).length === 1, 'the portal user’s row markers');
    // Everything the portal user was ever sent: its own card, only portal users on it.
    for (const snapshot of [...portalRows.snapshots, ...portalCard.snapshots]) {
      for (const row of snapshot) {
        expect(row.clientId).toBe(own);
        expect(row.viewers.every((viewer) => viewer.portal)).toBe(true);
      }
    }

    const refusedWatch = watch(portal.ws(), { clientId: foreign, tabId: 'portal-peek' });
    await eventually(() => refusedWatch.error !== null, 'the refusal');
    expect(refusedWatch.error?.code).toBe('NOT_FOUND');
    const refusedSet = await failure(
      portal.api.presence.set.mutate({ clientId: foreign, tabId: 'portal-card', field: null }),
    );
    expect(refusedSet.code).toBe('NOT_FOUND');
    for (const watching of [staffRows, portalRows, portalCard]) watching.stop();
    await manager.api.presence.leave.mutate({ tabId: 'staff-on-own' });
    await manager.api.presence.leave.mutate({ tabId: 'staff-on-foreign' });
  });
});

describe('bad input', () => {
  it('refuses a card that does not exist', async () => {
    const error = await failure(agent.api.presence.set.mutate({ clientId: 987_654, tabId: 'tab', field: null }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('Client 987654 does not exist.');
  });

  it('names the field and the reason for a malformed tab id, field or client id', async () => {
    const tab = await failure(agent.api.presence.set.mutate({ clientId: null, tabId: 'my tab!', field: null }));
    expect(tab).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { tabId: [expect.stringContaining('tabId must')] } });
    const field = await failure(agent.api.presence.set.mutate({ clientId: null, tabId: 'tab', field: '<script>' }));
    expect(field.fieldErrors?.field?.[0]).toContain('field must be the name of a card field');
    const client = await failure(agent.api.presence.set.mutate({ clientId: 0, tabId: 'tab', field: null }));
    expect(client.fieldErrors?.clientId?.[0]).toContain('clientId must be a client id');
  });
});

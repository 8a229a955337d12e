import type { EntityManager } from '@mikro-orm/knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsIn } from '../../shared/live';
import { ClientEvent, type FieldChange } from '../activity/entity';
import { type EventType, writeWithEvents } from '../activity/write-path';
import type { Actor } from '../auth/actor';
import { ADMIN, type ApiClient, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import type { LiveEvent } from './events';
import { eventually, type Received, subscribeEvents } from './testing';

let t: TestApp;
let admin: SignedIn;
let agent: SignedIn;
let viewer: SignedIn;
let agentName: string;

beforeAll(async () => {
  // Small pages, so every replay below crosses many page boundaries; a short idle session check.
  t = await startTestApp({ realtime: { pageSize: 7, sessionCheckMs: 300 } });
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  agent = await t.as('agent');
  viewer = await t.as('viewer');
  agentName = (await agent.api.auth.me.query())?.name ?? '';
});

afterAll(async () => {
  await t?.close();
});

/** The log's seqs after `after`, optionally of one client: what a subscriber must receive, in this order. */
async function loggedSeqs(after: number, clientId?: number): Promise<number[]> {
  const rows = await t
    .em()
    .find(
      ClientEvent,
      { seq: { $gt: after }, ...(clientId ? { clientId } : {}) },
      { orderBy: { seq: 'asc' }, fields: ['seq'] },
    );
  return rows.map((row) => row.seq);
}

async function endOfLog(): Promise<number> {
  const [last] = await t.em().find(ClientEvent, {}, { orderBy: { seq: 'desc' }, limit: 1, fields: ['seq'] });
  return last?.seq ?? 0;
}

async function caughtUp(received: Received): Promise<number> {
  await eventually(() => received.heads().length > 0 || received.error !== null, 'the head marker');
  expect(received.error).toBeNull();
  return received.heads()[0] ?? -1;
}

/** Edits `city` `count` times in a row, each from the value before, as a careful editor would. */
async function editCity(api: ApiClient, id: number, count: number, prefix: string): Promise<void> {
  let city = (await api.clients.get.query({ id })).city;
  for (let i = 1; i <= count; i++) {
    const value = `${prefix} ${i}`;
    const result = await api.clients.update.mutate({ id, changes: { city: { base: city, value } } });
    expect(result.conflicts).toEqual([]);
    city = value;
  }
}

/** Appends events through the one write path, as the notes or files services would. */
async function appendEvents(
  actor: Actor,
  events: { clientId: number; type: EventType; changes: Record<string, FieldChange> }[],
): Promise<void> {
  await writeWithEvents(t.em() as EntityManager, actor, async (_tx, record) => {
    for (const event of events) record(event);
  });
}

const seqsOf = (events: LiveEvent[]) => events.map((event) => event.seq);

/** The admin as the one write path's actor, for events appended straight to the log. */
async function adminActor(): Promise<Actor> {
  const user = await admin.api.auth.me.query();
  if (!user) throw new Error('not signed in');
  return { id: user.id, name: user.name, role: 'admin', clientId: null };
}

describe('head marker and resume point', () => {
  it('gives a subscriber on an empty log a head marker at 0, and later events live after it', async () => {
    expect(await endOfLog()).toBe(0);
    const received = subscribeEvents(viewer.ws());
    expect(await caughtUp(received)).toBe(0);
    expect(received.messages[0]).toEqual({ id: '0', message: { kind: 'head', seq: 0 } });

    const client = await agent.api.clients.create.mutate({ name: 'First Client' });
    await eventually(() => received.events().length === 1, 'the creation event');
    expect(received.events()[0]).toMatchObject({
      kind: 'event',
      clientId: client.id,
      type: 'client.created',
      actorName: agentName,
      changes: { name: { before: null, after: 'First Client' } },
    });
    expect(received.events()[0]?.at).toBeInstanceOf(Date);
    expect(received.lastId()).toBe(String(received.events()[0]?.seq));
    received.stop();
  });

  it('gives a subscriber without lastEventId the current end of the log, and replays nothing older', async () => {
    const client = await agent.api.clients.create.mutate({ name: 'Head Client' });
    await editCity(agent.api, client.id, 3, 'Head');
    const end = await endOfLog();
    const received = subscribeEvents(viewer.ws());
    expect(await caughtUp(received)).toBe(end);
    expect(received.messages).toEqual([{ id: String(end), message: { kind: 'head', seq: end } }]);
    received.stop();
  });

  it('ends the replay of one client with a head at the end of the whole log, past other clients’ events', async () => {
    const mine = await agent.api.clients.create.mutate({ name: 'Mine' });
    const start = await endOfLog();
    const other = await agent.api.clients.create.mutate({ name: 'Other' });
    await editCity(agent.api, other.id, 4, 'Elsewhere');
    const received = subscribeEvents(viewer.ws(), { lastEventId: String(start), clientId: mine.id });
    expect(await caughtUp(received)).toBe(await endOfLog());
    expect(received.events()).toEqual([]);
    received.stop();
  });
});

describe('delivery', () => {
  it('brings every edit made on one connection to another, exactly once and in seq order', async () => {
    const editor = agent.ws();
    const received = subscribeEvents(viewer.ws());
    const head = await caughtUp(received);
    const clients = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => editor.clients.create.mutate({ name: `Chain ${n}`, city: 'Start' })),
    );
    // Five chains of ten edits at once, so commits of different clients interleave.
    await Promise.all(clients.map((client, n) => editCity(editor, client.id, 10, `Chain ${n}`)));
    const logged = await loggedSeqs(head);
    expect(logged).toHaveLength(55);
    await eventually(() => received.events().length >= logged.length, 'all 55 events');
    expect(seqsOf(received.events())).toEqual(logged);

    const first = received
      .events()
      .find((event) => event.type === 'client.updated' && event.clientId === clients[0]?.id);
    expect(first).toMatchObject({
      actorName: agentName,
      changes: { city: { before: 'Start', after: 'Chain 0 1' } },
    });
    expect(received.error).toBeNull();
    received.stop();
  });

  it('resumes after a disconnect from the last id: the 100 missed edits in order, no duplicates, then live', async () => {
    const client = await agent.api.clients.create.mutate({ name: 'Resume', city: 'Start' });
    const first = subscribeEvents(viewer.ws(), { clientId: client.id });
    await caughtUp(first);
    await editCity(agent.api, client.id, 3, 'Before');
    await eventually(() => first.events().length === 3, 'three edits before the disconnect');
    first.stop();
    const lastId = first.lastId();

    await editCity(agent.api, client.id, 100, 'Missed');
    const missed = await loggedSeqs(Number(lastId), client.id);
    expect(missed).toHaveLength(100);

    const resumed = subscribeEvents(viewer.ws(), { lastEventId: lastId, clientId: client.id });
    const head = await caughtUp(resumed);
    expect(seqsOf(resumed.events())).toEqual(missed);
    expect(resumed.events().map((event) => event.changes.city?.after)).toEqual(
      Array.from({ length: 100 }, (_, i) => `Missed ${i + 1}`),
    );
    expect(head).toBe(await endOfLog());
    // The backlog came a page (7 events) per frame, each frame tracked by its last event's seq: the resume point.
    const frames = resumed.messages.filter(({ message }) => message.kind !== 'head');
    expect(frames.map(({ message }) => eventsIn(message).length)).toEqual([...Array(14).fill(7), 2]);
    for (const { id, message } of frames) expect(id).toBe(String(eventsIn(message).at(-1)?.seq));
    // The head comes once, after the replay, and live events follow it.
    expect(resumed.messages.at(-1)?.message).toEqual({ kind: 'head', seq: head });
    await editCity(agent.api, client.id, 1, 'Live');
    await eventually(() => resumed.events().length === 101, 'the live edit after the replay');
    expect(resumed.events().at(-1)?.changes.city?.after).toBe('Live 1');
    resumed.stop();
  });

  it('delivers a burst of more than a page that commits at once, live, exactly once and in order', async () => {
    const client = await admin.api.clients.create.mutate({ name: 'Burst' });
    const actor = await adminActor();
    const received = subscribeEvents(viewer.ws());
    const head = await caughtUp(received);
    // Twenty events in one commit wake a live subscriber once; it has three pages of 7 to send.
    await appendEvents(
      actor,
      Array.from({ length: 20 }, (_, i) => ({
        clientId: client.id,
        type: 'client.updated' as const,
        changes: { city: { before: i === 0 ? null : `Burst ${i}`, after: `Burst ${i + 1}` } },
      })),
    );
    await editCity(agent.api, client.id, 1, 'After the burst');
    const logged = await loggedSeqs(head);
    expect(logged).toHaveLength(21);
    await eventually(() => received.events().length >= logged.length, 'the burst and the edit after it');
    expect(seqsOf(received.events())).toEqual(logged);
    expect(received.events().at(-1)?.changes.city?.after).toBe('After the burst 1');
    expect(received.error).toBeNull();
    received.stop();
  });

  it('sends only the chosen client’s events with clientId', async () => {
    const watched = await agent.api.clients.create.mutate({ name: 'Watched' });
    const ignored = await agent.api.clients.create.mutate({ name: 'Ignored' });
    const received = subscribeEvents(viewer.ws(), { clientId: watched.id });
    const head = await caughtUp(received);
    await Promise.all([editCity(agent.api, watched.id, 10, 'Watched'), editCity(admin.api, ignored.id, 10, 'Ignored')]);
    const expected = await loggedSeqs(head, watched.id);
    await eventually(() => received.events().length >= 10, 'the watched client’s edits');
    expect(seqsOf(received.events())).toEqual(expected);
    expect(received.events().every((event) => event.clientId === watched.id)).toBe(true);
    received.stop();
  });
});

describe('who receives what', () => {
  it('gives staff every event, private notes and projects included, and a portal user only what its card shows', async () => {
    const own = await admin.api.clients.create.mutate({ name: 'Portal Own', loginAllowed: true });
    const foreign = await admin.api.clients.create.mutate({ name: 'Portal Foreign' });
    const portal = await t.as('client', { clientId: own.id });
    const portalUser = await portal.api.auth.me.query();
    if (!portalUser) throw new Error('not signed in');
    const staffActor = await adminActor();
    const portalActor: Actor = { id: portalUser.id, name: portalUser.name, role: 'client', clientId: own.id };

    const portalReceived = subscribeEvents(portal.ws());
    // An agent: viewers do not read private notes (shared/permissions.ts).
    const staffReceived = subscribeEvents(agent.ws());
    await caughtUp(portalReceived);
    const head = await caughtUp(staffReceived);

    await appendEvents(staffActor, [
      // A field the card does not show (say, added to the log by a later feature) stays internal.
      {
        clientId: own.id,
        type: 'client.updated',
        changes: { city: { before: null, after: 'Gdańsk' }, internalRating: { before: null, after: 'A' } },
      },
      { clientId: foreign.id, type: 'client.updated', changes: { city: { before: null, after: 'Elsewhere' } } },
      {
        clientId: foreign.id,
        type: 'note.added',
        changes: {
          id: { before: null, after: 900 },
          body: { before: null, after: 'x' },
          visibility: { before: null, after: 'public' },
        },
      },
      {
        clientId: own.id,
        type: 'note.added',
        changes: {
          id: { before: null, after: 901 },
          body: { before: null, after: 'Staff only' },
          visibility: { before: null, after: 'private' },
        },
      },
      {
        clientId: own.id,
        type: 'note.added',
        changes: {
          id: { before: null, after: 902 },
          body: { before: null, after: 'For everyone' },
          visibility: { before: null, after: 'public' },
        },
      },
      // A private note made public: its event still carries the private text that was.
      {
        clientId: own.id,
        type: 'note.updated',
        changes: {
          id: { before: null, after: 901 },
          body: { before: 'Staff only', after: 'Now shared' },
          visibility: { before: 'private', after: 'public' },
        },
      },
      // An event that does not say whether its note is private is treated as private.
      {
        clientId: own.id,
        type: 'note.updated',
        changes: { id: { before: null, after: 903 }, body: { before: 'a', after: 'b' } },
      },
      {
        clientId: own.id,
        type: 'project.added',
        changes: { id: { before: null, after: 5 }, name: { before: null, after: 'Internal' } },
      },
    ]);
    await appendEvents(portalActor, [
      {
        clientId: own.id,
        type: 'note.added',
        changes: {
          id: { before: null, after: 904 },
          body: { before: null, after: 'From the client' },
          visibility: { before: null, after: 'public' },
        },
      },
    ]);
    await appendEvents(staffActor, [
      { clientId: own.id, type: 'client.updated', changes: { city: { before: 'Gdańsk', after: 'Sopot' } } },
    ]);

    const all = await loggedSeqs(head);
    expect(all).toHaveLength(10);
    await eventually(() => staffReceived.events().length === all.length, 'every event for the agent');
    expect(seqsOf(staffReceived.events())).toEqual(all);
    expect(staffReceived.events()[0]?.changes).toHaveProperty('internalRating');

    await eventually(
      () => portalReceived.events().some((event) => event.changes.city?.after === 'Sopot'),
      'the last event for the portal user',
    );
    const seen = portalReceived.events();
    expect(seen.map((event) => [event.type, event.clientId])).toEqual([
      ['client.updated', own.id],
      ['note.added', own.id],
      ['note.added', own.id],
      ['client.updated', own.id],
    ]);
    expect(seen[0]?.changes).toEqual({ city: { before: null, after: 'Gdańsk' } });
    expect(seen[1]?.changes.body?.after).toBe('For everyone');
    expect(seen[2]?.changes.body?.after).toBe('From the client');
    // Staff accounts are named, not numbered, for the portal; its own changes keep its id.
    expect(seen[0]).toMatchObject({ actorId: null, actorName: staffActor.name });
    expect(seen[2]).toMatchObject({ actorId: portalUser.id, actorName: portalUser.name });
    expect(JSON.stringify(seen)).not.toMatch(/Staff only|Now shared|Elsewhere|Internal/);
    portalReceived.stop();
    staffReceived.stop();
  });

  it('gives a viewer and an agent woken by the same save each their own cut: the private note to the agent only', async () => {
    const client = await admin.api.clients.create.mutate({ name: 'Two Roles' });
    const actor = await adminActor();
    const viewerReceived = subscribeEvents(viewer.ws());
    const agentReceived = subscribeEvents(agent.ws());
    const head = Math.max(await caughtUp(viewerReceived), await caughtUp(agentReceived));
    const note = (id: number, visibility: 'public' | 'private') => ({
      clientId: client.id,
      type: 'note.added' as const,
      changes: {
        id: { before: null, after: id },
        body: { before: null, after: `${visibility} note` },
        visibility: { before: null, after: visibility },
      },
    });
    await appendEvents(actor, [note(950, 'public'), note(951, 'private'), note(952, 'public')]);
    const [publicFirst, privateNote, publicLast] = await loggedSeqs(head, client.id);
    await eventually(() => agentReceived.events().length >= 3, 'the three notes to the agent');
    expect(seqsOf(agentReceived.events())).toEqual([publicFirst, privateNote, publicLast]);
    await eventually(() => viewerReceived.events().length >= 2, 'the public notes to the viewer');
    // In seq order, so a leaked private note would be one of these two.
    expect(seqsOf(viewerReceived.events())).toEqual([publicFirst, publicLast]);
    expect(viewerReceived.error).toBeNull();
    viewerReceived.stop();
    agentReceived.stop();
  });

  it('refuses a portal user the stream of another client', async () => {
    const own = await admin.api.clients.create.mutate({ name: 'Portal Two', loginAllowed: true });
    const foreign = await admin.api.clients.create.mutate({ name: 'Not Theirs' });
    const portal = await t.as('client', { clientId: own.id });
    const received = subscribeEvents(portal.ws(), { clientId: foreign.id });
    await eventually(() => received.error !== null, 'the refusal');
    expect(received.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(received.messages).toEqual([]);
  });

  it('stops a deactivated user’s stream with UNAUTHORIZED before the next event reaches it', async () => {
    const leaving = await t.as('viewer');
    const leavingId = (await leaving.api.auth.me.query())?.id ?? 0;
    const client = await agent.api.clients.create.mutate({ name: 'After Deactivation' });
    const received = subscribeEvents(leaving.ws());
    await caughtUp(received);
    await admin.api.users.update.mutate({ id: leavingId, active: false });
    await editCity(agent.api, client.id, 1, 'Unseen');
    await eventually(() => received.error !== null, 'the end of the stream');
    expect(received.error?.code).toBe('UNAUTHORIZED');
    expect(received.events()).toEqual([]);
  });

  it('cuts off only the signed-out session among subscriptions woken by the same save', async () => {
    const client = await agent.api.clients.create.mutate({ name: 'Woken Together' });
    const leaving = await t.as('viewer');
    const staying = [await t.as('viewer'), await t.as('manager'), viewer];
    const leavingReceived = subscribeEvents(leaving.ws());
    const stayingReceived = staying.map((session) => subscribeEvents(session.ws()));
    for (const received of [leavingReceived, ...stayingReceived]) await caughtUp(received);
    await leaving.api.auth.logout.mutate();
    await editCity(agent.api, client.id, 1, 'Together');
    await eventually(() => stayingReceived.every((received) => received.events().length === 1), 'the edit');
    await eventually(() => leavingReceived.error !== null, 'the end of the signed-out stream');
    expect(leavingReceived.error?.code).toBe('UNAUTHORIZED');
    expect(leavingReceived.events()).toEqual([]);
    for (const received of stayingReceived) {
      expect(received.error).toBeNull();
      expect(received.events()).toMatchObject([{ clientId: client.id, changes: { city: { after: 'Together 1' } } }]);
      received.stop();
    }
  });

  it('stops the stream of a session that signed out, even while nothing happens', async () => {
    const session = await t.as('agent');
    const received = subscribeEvents(session.ws());
    await caughtUp(received);
    await session.api.auth.logout.mutate();
    await eventually(() => received.error !== null, 'the end of the stream');
    expect(received.error).toMatchObject({ code: 'UNAUTHORIZED', message: 'Your session has ended; sign in again.' });
  });
});

describe('bad input', () => {
  it('names lastEventId when it is not an event id', async () => {
    const received = subscribeEvents(viewer.ws(), { lastEventId: 'yesterday' });
    await eventually(() => received.error !== null, 'the refusal');
    expect(received.error?.code).toBe('BAD_REQUEST');
    expect(received.error?.message).toContain('lastEventId must be the id of an event received earlier');
  });

  it('names clientId when it is not a client id', async () => {
    const received = subscribeEvents(viewer.ws(), { clientId: -4 });
    await eventually(() => received.error !== null, 'the refusal');
    expect(received.error?.code).toBe('BAD_REQUEST');
    expect(received.error?.message).toContain('clientId must be a client id');
  });

  it('refuses the stream over plain HTTP, where nothing would bound it', async () => {
    const input = encodeURIComponent(JSON.stringify({ json: {} }));
    const response = await fetch(`${t.url}/trpc/live.events?input=${input}`, {
      headers: { cookie: viewer.cookie, 'x-kartoteka-csrf': '1' },
    });
    const body = await response.text();
    expect(body).toContain('METHOD_NOT_SUPPORTED');
    expect(body).toContain('Live updates run over the WebSocket at /trpc.');
  });
});

import type { EntityManager } from '@mikro-orm/knex';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../../shared/enums';
import { eventsIn } from '../../shared/live';
import { ClientEvent } from '../activity/entity';
import { Client } from '../clients/entity';
import { eventFor, type LiveEvent, type LiveMessage, type Viewer } from '../live/events';
import { DEFAULT_REALTIME_SETTINGS } from '../live/realtime';
import type { StreamStats } from '../live/stream';
import { eventually } from '../live/testing';
import { Project } from '../lookups/entity';
import { Note } from '../notes/entity';
import { ADMIN, type ApiClient, startTestApp, type TestApp } from '../test/harness';
import { createUser } from '../users/service';
import { apiAt, sessionCookieFor } from './session';
import { TrpcSocket, trackedData } from './trpc-socket';

/**
 * The load test (issue 8): many live subscribers and many editors at once for a bounded time, over real HTTP and
 * WebSockets on loopback, then a check of everything. The full form is 500 subscribers, 50 editors, 60 s:
 *   LOAD_SUBSCRIBERS=500 LOAD_EDITORS=50 LOAD_SECONDS=60 npx vitest run server/load
 * The CI form (the defaults) is 10 s with 200 subscribers and 20 editors, so it stays well under a minute on a
 * 2-core machine: the subscribers live in the same process as the server and all compete for its two cores.
 * LOAD_SEED replays a run (it is printed).
 */
const SUBSCRIBERS = Number(process.env.LOAD_SUBSCRIBERS ?? 200);
const EDITORS = Number(process.env.LOAD_EDITORS ?? 20);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 10);
const SEED = Number(process.env.LOAD_SEED ?? Date.now() % 1_000_000);
const CLIENTS = 12;
const PORTAL_CLIENTS = 4;
/** Free-text fields every editor changes, so editors meet on the same field of the same client. */
const FIELDS = ['city', 'state', 'companyName', 'companyAddress'] as const;
type Field = (typeof FIELDS)[number];

/** A small seeded generator (mulberry32), so a run can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Subscriber {
  viewer: Viewer;
  clientId: number | null;
  socket: TrpcSocket;
  head: number | null;
  events: LiveEvent[];
  errors: string[];
}

/** What the editors were told was done: each is checked against the log and the tables afterwards. */
interface Acknowledged {
  fieldWrites: { clientId: number; field: Field; value: string; actorId: number }[];
  statusChanges: Map<number, number>;
  notes: { id: number; clientId: number; body: string }[];
  projects: { id: number; clientId: number; name: string }[];
  /** Saves that came back with a field conflict (the other editor's value won): intended. */
  fieldConflicts: number;
  /** Saves refused with CONFLICT (the version check lost five times in a row): intended, nothing written. */
  refusedConflicts: number;
  failures: string[];
}

let t: TestApp;
const subscribers: Subscriber[] = [];
const clientIds: number[] = [];
const portalUsers = new Map<number, { id: number; cookie: string }>();

async function user(
  em: EntityManager,
  role: Role,
  n: number,
  clientId?: number,
): Promise<{ id: number; cookie: string }> {
  const created = await createUser(em, {
    email: `load-${role}-${n}@example.com`,
    name: `Load ${role} ${n}`,
    role,
    password: `load-password-${n}`,
    clientId,
  });
  return { id: created.id, cookie: await sessionCookieFor(em, created.id) };
}

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.signIn(ADMIN.email, ADMIN.password);
  const em = t.em();
  for (let i = 0; i < CLIENTS; i++) {
    const portal = i < PORTAL_CLIENTS;
    const client = await admin.api.clients.create.mutate({ name: `Load Client ${i}`, loginAllowed: portal });
    clientIds.push(client.id);
    if (portal) portalUsers.set(client.id, await user(em, 'client', i, client.id));
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(subscribers.map((subscriber) => subscriber.socket.close()));
  await t?.close();
});

/**
 * A tenth of the subscribers are portal users (their own card only), three tenths staff watching one card, the
 * rest staff watching everything (the list, the monitor). Staff roles rotate, a session each.
 */
async function subscribe(): Promise<void> {
  const em = t.em();
  const staff: { id: number; role: Role }[] = [];
  for (const role of ['admin', 'manager', 'agent', 'viewer'] as const) {
    const created = await user(em, role, 1000 + staff.length);
    staff.push({ id: created.id, role });
  }
  const portals = [...portalUsers.entries()];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    let viewer: Viewer;
    let cookie: string;
    let clientId: number | null = null;
    if (i % 10 === 0) {
      const [ownId, portal] = portals[(i / 10) % portals.length] ?? [];
      if (!ownId || !portal) throw new Error('no portal user');
      viewer = { id: portal.id, role: 'client', clientId: ownId };
      cookie = await sessionCookieFor(em, portal.id);
      clientId = i % 20 === 0 ? ownId : null;
    } else {
      const member = staff[i % staff.length];
      if (!member) throw new Error('no staff');
      viewer = { id: member.id, role: member.role, clientId: null };
      cookie = await sessionCookieFor(em, member.id);
      clientId = i % 10 <= 3 ? (clientIds[i % CLIENTS] ?? null) : null;
    }
    const socket = await TrpcSocket.open(t.url, cookie);
    const subscriber: Subscriber = { viewer, clientId, socket, head: null, events: [], errors: [] };
    socket.subscribe('live.events', clientId === null ? {} : { clientId }, {
      onData: (frame) => {
        const { data } = trackedData<LiveMessage>(frame);
        if (data.kind === 'head') subscriber.head ??= data.seq;
        subscriber.events.push(...eventsIn(data));
      },
      onError: (frame) => subscriber.errors.push(frame.error?.json?.message ?? 'unknown error'),
    });
    subscribers.push(subscriber);
  }
  await eventually(
    () => subscribers.every((subscriber) => subscriber.head !== null),
    'every subscriber’s head',
    60_000,
  );
}

function refusal(error: unknown): string | null {
  if (error instanceof TRPCClientError) return (error.data as { code?: string } | undefined)?.code ?? error.message;
  return String(error);
}

/** One editor: random saves on random clients until the deadline, each from the value it last saw. */
async function edit(api: ApiClient, actorId: number, editor: number, deadline: number, ack: Acknowledged) {
  const next = random(SEED + editor);
  const seen = new Map<string, string | null>();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  for (let n = 1; Date.now() < deadline; n++) {
    const clientId = pick(clientIds);
    const roll = next();
    try {
      if (roll < 0.65) {
        const field = pick(FIELDS);
        const key = `${clientId}/${field}`;
        if (!seen.has(key)) seen.set(key, (await api.clients.get.query({ id: clientId }))[field]);
        const value = `E${editor}.${n}`;
        const result = await api.clients.update.mutate({
          id: clientId,
          changes: { [field]: { base: seen.get(key) ?? null, value } },
        });
        if (result.conflicts.length > 0) ack.fieldConflicts++;
        else ack.fieldWrites.push({ clientId, field, value, actorId });
        // As a person would after a conflict: take what is stored now and go on from there.
        seen.set(key, result.client[field]);
      } else if (roll < 0.8) {
        const status = next() < 0.5 ? 'active' : 'inactive';
        const { affected } = await api.clients.setStatus.mutate({ ids: [clientId], status });
        ack.statusChanges.set(clientId, (ack.statusChanges.get(clientId) ?? 0) + affected);
      } else if (roll < 0.93) {
        const body = `Note E${editor}.${n}`;
        const note = await api.notes.add.mutate({ clientId, body, visibility: next() < 0.5 ? 'public' : 'private' });
        ack.notes.push({ id: note.id, clientId, body });
      } else {
        const name = `Project E${editor}.${n}`;
        const project = await api.projects.add.mutate({ clientId, name });
        ack.projects.push({ id: project.id, clientId, name });
      }
    } catch (error) {
      const code = refusal(error);
      if (code === 'CONFLICT') ack.refusedConflicts++;
      else ack.failures.push(`editor ${editor}: ${code}`);
    }
  }
}

it(`keeps every subscriber exact and every acknowledged write under ${SUBSCRIBERS} subscribers and ${EDITORS} editors for ${SECONDS} s`, async () => {
  await subscribe();
  const em = t.em();
  const editors: { api: ApiClient; id: number }[] = [];
  for (let i = 0; i < EDITORS; i++) {
    const created = await user(em, i % 3 === 0 ? 'manager' : 'agent', 2000 + i);
    editors.push({ api: apiAt(t.url, created.cookie), id: created.id });
  }
  const ack: Acknowledged = {
    fieldWrites: [],
    statusChanges: new Map(),
    notes: [],
    projects: [],
    fieldConflicts: 0,
    refusedConflicts: 0,
    failures: [],
  };

  // The server's live memory, sampled all along: rows read and not yet sent, bytes queued per socket.
  const peak = { streams: 0, pending: 0, buffered: 0 };
  const sample = (streams: StreamStats[]) => {
    peak.streams = Math.max(peak.streams, streams.length);
    for (const stream of streams) {
      peak.pending = Math.max(peak.pending, stream.pending);
      peak.buffered = Math.max(peak.buffered, stream.bufferedBytes, stream.peakBufferedBytes);
    }
  };
  const sampler = setInterval(() => sample(t.app.realtime.streams.list()), 100);

  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(editors.map((editor, i) => edit(editor.api, editor.id, i, deadline, ack)));

  // Afterwards: the log is the truth every subscriber must have received, filtered to what it may see.
  const log = await t.em().find(ClientEvent, {}, { orderBy: { seq: 'asc' } });
  const expectedFor = (subscriber: Subscriber) =>
    log
      .filter((row) => row.seq > (subscriber.head ?? 0))
      .filter((row) => subscriber.clientId === null || row.clientId === subscriber.clientId)
      .flatMap((row) => eventFor(subscriber.viewer, row) ?? []);
  const expected = subscribers.map(expectedFor);
  await eventually(
    () =>
      subscribers.every(
        (subscriber, i) => subscriber.events.length >= (expected[i]?.length ?? 0) || subscriber.errors.length > 0,
      ),
    'every subscriber to receive its events',
    180_000,
  );
  // A moment more, in case anything arrives that should not.
  await new Promise((resolve) => setTimeout(resolve, 300));
  clearInterval(sampler);
  sample(t.app.realtime.streams.list());

  const deliveries = expected.reduce((sum, events) => sum + events.length, 0);
  console.log(
    `load: seed ${SEED}; ${SUBSCRIBERS} subscribers, ${EDITORS} editors, ${SECONDS} s; ${log.length} events in the log; ` +
      `${ack.fieldWrites.length} field saves, ${[...ack.statusChanges.values()].reduce((a, b) => a + b, 0)} status changes, ` +
      `${ack.notes.length} notes, ${ack.projects.length} projects acknowledged; ${ack.fieldConflicts} field conflicts and ` +
      `${ack.refusedConflicts} refused saves (intended); ${deliveries} deliveries checked; peak per stream: ` +
      `${peak.pending} rows pending, ${peak.buffered} bytes queued; ${peak.streams} streams open`,
  );

  expect(ack.failures).toEqual([]);
  expect(ack.fieldWrites.length).toBeGreaterThan(0);
  expect(ack.fieldConflicts + ack.refusedConflicts).toBeGreaterThan(0);

  // Every subscriber: exactly its share of the log, in order, nothing missing, nothing twice, nothing more.
  subscribers.forEach((subscriber, i) => {
    expect(subscriber.errors, `subscriber ${i} (${subscriber.viewer.role})`).toEqual([]);
    expect(
      subscriber.events.map((event) => event.seq),
      `subscriber ${i} (${subscriber.viewer.role})`,
    ).toEqual(expected[i]?.map((event) => event.seq));
    expect(JSON.stringify(subscriber.events)).toBe(JSON.stringify(expected[i]));
  });
  // Portal users got events (the filter was exercised, not vacuous), and never another client's.
  const portals = subscribers.filter((subscriber) => subscriber.viewer.role === 'client');
  expect(portals.some((subscriber) => subscriber.events.length > 0)).toBe(true);
  for (const subscriber of portals) {
    expect(subscriber.events.every((event) => event.clientId === subscriber.viewer.clientId)).toBe(true);
    expect(subscriber.events.some((event) => event.type.startsWith('project.'))).toBe(false);
  }

  // The log holds exactly the acknowledged writes: each save once, with its value, by its editor.
  const editorIds = new Set(editors.map((editor) => editor.id));
  const loggedWrites = log
    .filter((row) => row.type === 'client.updated' && row.actorId && editorIds.has(row.actorId))
    .flatMap((row) =>
      Object.entries(row.changes).map(
        ([field, change]) => `${row.clientId}/${field}=${String(change.after)}@${row.actorId}`,
      ),
    );
  const acknowledgedWrites = ack.fieldWrites.map((w) => `${w.clientId}/${w.field}=${w.value}@${w.actorId}`);
  expect(loggedWrites.sort()).toEqual(acknowledgedWrites.sort());
  for (const clientId of clientIds) {
    const statusEvents = log.filter(
      (row) => row.type === 'client.status' && row.clientId === clientId && editorIds.has(row.actorId ?? 0),
    );
    expect(statusEvents.length, `status changes of client ${clientId}`).toBe(ack.statusChanges.get(clientId) ?? 0);
  }

  // The tables equal the acknowledged writes: each field holds its last logged value; notes and projects exist.
  const stored = await t.em().find(Client, { id: { $in: clientIds } });
  for (const client of stored) {
    for (const field of [...FIELDS, 'status'] as const) {
      const last = log.filter((row) => row.clientId === client.id && row.changes[field]).at(-1);
      expect(client[field] ?? null, `client ${client.id} ${field}`).toBe(last?.changes[field]?.after ?? null);
    }
  }
  const notes = await t.em().find(Note, { id: { $in: ack.notes.map((note) => note.id) } });
  expect(notes.map((note) => `${note.id}/${note.clientId}/${note.body}`).sort()).toEqual(
    ack.notes.map((note) => `${note.id}/${note.clientId}/${note.body}`).sort(),
  );
  const projects = await t.em().find(Project, { id: { $in: ack.projects.map((project) => project.id) } });
  expect(projects.map((project) => `${project.id}/${project.clientId}/${project.name}`).sort()).toEqual(
    ack.projects.map((project) => `${project.id}/${project.clientId}/${project.name}`).sort(),
  );

  // Memory stayed bounded: one stream per subscriber, at most a page of rows and the socket budget each.
  expect(peak.streams).toBe(SUBSCRIBERS);
  expect(peak.pending).toBeLessThanOrEqual(DEFAULT_REALTIME_SETTINGS.pageSize);
  expect(peak.buffered).toBeLessThan(DEFAULT_REALTIME_SETTINGS.highWaterBytes + 64 * 1024);
}, 300_000);

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventsIn } from '../../shared/live';
import { ClientEvent } from '../activity/entity';
import { Client } from '../clients/entity';
import { openDatabase } from '../db/orm';
import type { LiveMessage } from '../live/events';
import { eventually } from '../live/testing';
import { type AppProcess, startAppProcess } from '../load/app-process';
import { apiAt, signInCookie } from '../load/session';
import { TrpcSocket, trackedData } from '../load/trpc-socket';
import { Note } from '../notes/entity';
import type { ApiClient } from '../test/harness';

/**
 * SIGKILL in the middle of writes (issue 8): the app runs as its own process on a SQLite file, as `npm start`
 * does; several editors write as fast as they can; the process is killed without warning (no shutdown code
 * runs) and started again on the same file. Always SQLite, whatever DATABASE_URL says: it is the file that must
 * survive.
 */
const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const WRITERS = 6;
const ACKNOWLEDGED_BEFORE_KILL = 120;

let dataDir: string;
let app: AppProcess | undefined;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kartoteka-kill-'));
});

afterAll(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = () => startAppProcess({ dataDir, adminEmail: ADMIN.email, adminPassword: ADMIN.password });

interface Acknowledged {
  created: { id: number; name: string }[];
  cities: { clientId: number; city: string }[];
  notes: { id: number; clientId: number; body: string }[];
}

/** One writer: creates a client, then edits its city and adds notes, until stopped; notes what was acknowledged. */
async function write(api: ApiClient, writer: number, ack: Acknowledged, running: () => boolean): Promise<void> {
  for (let n = 1; running(); n++) {
    try {
      const name = `Writer ${writer} client ${n}`;
      const client = await api.clients.create.mutate({ name, city: 'Start' });
      ack.created.push({ id: client.id, name });
      let city = 'Start';
      for (let edit = 1; edit <= 5 && running(); edit++) {
        const value = `W${writer}.${n}.${edit}`;
        const { conflicts } = await api.clients.update.mutate({
          id: client.id,
          changes: { city: { base: city, value } },
        });
        expect(conflicts).toEqual([]);
        ack.cities.push({ clientId: client.id, city: value });
        city = value;
        const body = `Note W${writer}.${n}.${edit}`;
        const note = await api.notes.add.mutate({ clientId: client.id, body, visibility: 'public' });
        ack.notes.push({ id: note.id, clientId: client.id, body });
      }
    } catch {
      // The kill: whatever was in flight has no answer. It must be all there or not at all (checked below).
      return;
    }
  }
}

it('keeps every acknowledged write and nothing half-written across a SIGKILL mid-write, and subscribers resume without loss', async () => {
  app = await start();
  const cookie = await signInCookie(app.url, ADMIN.email, ADMIN.password);
  const ack: Acknowledged = { created: [], cities: [], notes: [] };

  // A subscriber from the start, recording every event it receives and its resume point.
  const received: number[] = [];
  let lastId: string | undefined;
  let head: number | null = null;
  const onData = (frame: Parameters<NonNullable<Parameters<TrpcSocket['subscribe']>[2]['onData']>>[0]) => {
    const { id, data } = trackedData<LiveMessage>(frame);
    lastId = id;
    if (data.kind === 'head') head ??= data.seq;
    received.push(...eventsIn(data).map((event) => event.seq));
  };
  const before = await TrpcSocket.open(app.url, cookie);
  before.subscribe('live.events', {}, { onData });
  await eventually(() => head !== null, 'the head marker');

  const api = apiAt(app.url, cookie);
  let killed = false;
  const writers = Array.from({ length: WRITERS }, (_, writer) => write(api, writer, ack, () => !killed));
  const acknowledged = () => ack.created.length + ack.cities.length + ack.notes.length;
  await eventually(() => acknowledged() >= ACKNOWLEDGED_BEFORE_KILL, 'writes under way', 60_000);
  killed = true;
  await app.kill();
  await Promise.all(writers);
  expect((await app.exited).signal).toBe('SIGKILL');

  // The same file, a new process; sessions live in the database, so the same cookie still works.
  app = await start();
  const orm: MikroORM = await openDatabase({ sqlitePath: join(dataDir, 'kartoteka.sqlite') });
  try {
    const em = orm.em.fork() as EntityManager;
    expect(await em.execute('pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    const log = await em.find(ClientEvent, {}, { orderBy: { seq: 'asc' } });
    const clients = await em.find(Client, {});
    const notes = await em.find(Note, {});

    // Every acknowledged write is there.
    const clientIds = new Set(clients.map((client) => client.id));
    expect(ack.created.filter((created) => !clientIds.has(created.id))).toEqual([]);
    const loggedCities = new Set(
      log
        .filter((row) => row.type === 'client.updated')
        .map((row) => `${row.clientId}=${String(row.changes.city?.after)}`),
    );
    expect(ack.cities.filter((write) => !loggedCities.has(`${write.clientId}=${write.city}`))).toEqual([]);
    const storedNotes = new Map(notes.map((note) => [note.id, note]));
    expect(ack.notes.filter((note) => storedNotes.get(note.id)?.body !== note.body)).toEqual([]);

    // Nothing half-written: every row has its events and every row equals what its events say, including the
    // writes that were in flight at the kill (there or not at all).
    for (const client of clients) {
      const events = log.filter((row) => row.clientId === client.id);
      expect(
        events.filter((row) => row.type === 'client.created'),
        `client ${client.id}`,
      ).toHaveLength(1);
      const lastCity = events.filter((row) => row.changes.city).at(-1)?.changes.city?.after;
      expect(client.city, `client ${client.id}`).toBe(lastCity);
    }
    const noteEvents = log.filter((row) => row.type === 'note.added');
    expect(noteEvents.map((row) => row.changes.id?.after).sort()).toEqual(notes.map((note) => note.id).sort());
    for (const row of noteEvents)
      expect(row.changes.body?.after).toBe(storedNotes.get(Number(row.changes.id?.after))?.body);
    expect(log.every((row) => clientIds.has(row.clientId))).toBe(true);

    // The subscriber comes back with its last id and gets the rest: the whole log after its head, once, in order.
    before.socket.terminate();
    const after = await TrpcSocket.open(app.url, cookie);
    let caughtUp = false;
    after.subscribe(
      'live.events',
      {},
      {
        onData: (frame) => {
          const { data } = trackedData<LiveMessage>(frame);
          if (data.kind === 'head') caughtUp = true;
          received.push(...eventsIn(data).map((event) => event.seq));
        },
      },
      lastId,
    );
    await eventually(() => caughtUp, 'the replay after the restart');
    expect(received).toEqual(log.map((row) => row.seq).filter((seq) => seq > (head ?? 0)));
    await after.close();
    console.log(
      `kill: ${acknowledged()} writes acknowledged before the SIGKILL, ${log.length} events and ${clients.length} clients after the restart, ${received.length} events received across it`,
    );
  } finally {
    await orm.close();
  }
}, 120_000);

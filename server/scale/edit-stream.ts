import { Client as PgClient } from 'pg';
import { expect } from 'vitest';
import { eventually, type Received, subscribeEvents } from '../live/testing';
import type { ApiClient } from '../test/harness';
import { socketThrough, type TrackedSocket } from './cluster';

/**
 * A stream of edits through a cluster while something fails, and the checks afterwards: every subscriber has
 * the whole log once and in order, and the database holds exactly what the editors were told.
 */

/** What one editor was told: each acknowledged city in order, and the values whose save had no answer. */
export interface Editor {
  clientId: number;
  acknowledged: string[];
  unanswered: string[];
}

/** Creates one client per editor to edit. */
export async function editors(api: ApiClient, count: number): Promise<Editor[]> {
  const created: Editor[] = [];
  for (let i = 0; i < count; i++) {
    const client = await api.clients.create.mutate({ name: `Editor ${i} client`, city: 'Start' });
    created.push({ clientId: client.id, acknowledged: [], unanswered: [] });
  }
  return created;
}

export const acknowledged = (all: Editor[]) => all.reduce((sum, editor) => sum + editor.acknowledged.length, 0);

/** Edits the city of the editor's client until stopped; after a save without an answer it reads where things stand. */
export async function editCity(api: ApiClient, name: string, editor: Editor, running: () => boolean): Promise<void> {
  let city: string | null = 'Start';
  for (let n = 1; running(); n++) {
    const value = `${name}.${n}`;
    try {
      const { conflicts } = await api.clients.update.mutate({
        id: editor.clientId,
        changes: { city: { base: city, value } },
      });
      expect(conflicts).toEqual([]);
      editor.acknowledged.push(value);
      city = value;
    } catch {
      // The instance died with the save in flight (nginx answers 502): it may or may not have committed.
      editor.unanswered.push(value);
      await eventually(async () => {
        try {
          city = (await api.clients.get.query({ id: editor.clientId })).city;
          return true;
        } catch {
          return false;
        }
      }, 'the client readable again');
    }
  }
}

interface LoggedEdit {
  seq: number;
  clientId: number;
  city: string | undefined;
}

/** Once the edits are done: the log after `after` must reach every subscriber, and the rows must match the
 * editors' acknowledged saves. Answers the number of events checked. */
export async function expectNothingLost(
  databaseUrl: string,
  received: Received[],
  all: Editor[],
  after: number,
): Promise<number> {
  const db = new PgClient({ connectionString: databaseUrl });
  await db.connect();
  try {
    const rows = await db.query<{
      seq: string;
      client_id: number;
      type: string;
      changes: { city?: { after?: string } };
    }>('select seq, client_id, type, changes from client_event where seq > $1 order by seq', [after]);
    const log: LoggedEdit[] = rows.rows.map((row) => ({
      seq: Number(row.seq),
      clientId: row.client_id,
      city: row.type === 'client.updated' ? row.changes.city?.after : undefined,
    }));
    const last = log.at(-1)?.seq ?? after;
    await eventually(
      () => received.every((one) => (one.events().at(-1)?.seq ?? 0) >= last),
      'every subscriber at the end of the log',
      60_000,
    );
    // Every event after the subscriber's first head marker, each once, in the log's order.
    for (const one of received) {
      const head = one.heads()[0] ?? 0;
      expect(one.events().map((event) => event.seq)).toEqual(log.map((row) => row.seq).filter((seq) => seq > head));
      expect(one.error).toBeNull();
    }
    // Each client's city is its editor's last acknowledged save; every acknowledged save is in the log, and
    // nothing else is but saves that had no answer.
    for (const editor of all) {
      const stored = await db.query<{ city: string }>('select city from client where id = $1', [editor.clientId]);
      expect(stored.rows[0]?.city).toBe(editor.acknowledged.at(-1));
      const cities = log.flatMap((row) => (row.clientId === editor.clientId && row.city ? [row.city] : []));
      expect(editor.acknowledged.filter((city) => !cities.includes(city))).toEqual([]);
      expect(cities.filter((city) => !editor.acknowledged.includes(city) && !editor.unanswered.includes(city))).toEqual(
        [],
      );
    }
    return log.length;
  } finally {
    await db.end();
  }
}

/**
 * Opens `count` live subscriptions through the load balancer (their sockets pushed onto `sockets`, for the test to
 * close) and waits until each has caught up; answers them and the seq they all started after.
 */
export async function subscribersThrough(
  url: string,
  cookie: string,
  count: number,
  sockets: TrackedSocket[],
): Promise<{ received: Received[]; start: number }> {
  const received: Received[] = [];
  for (let i = 0; i < count; i++) {
    const socket = socketThrough(url, cookie);
    sockets.push(socket);
    received.push(subscribeEvents(socket.api));
  }
  await eventually(() => received.every((one) => one.heads().length > 0), 'every subscriber caught up');
  return { received, start: Math.min(...received.map((one) => one.heads()[0] ?? 0)) };
}

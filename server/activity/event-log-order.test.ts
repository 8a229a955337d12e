import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/actor';
import { openDatabase } from '../db/orm';
import { eventually } from '../live/testing';
import { createThrowawayPostgres } from '../test/databases';
import { ClientEvent } from './entity';
import { addEventHook, writeWithEvents } from './write-path';

/**
 * PostgreSQL hands out sequence values before commit, so without care a transaction holding seq N can commit
 * after one holding N+1, and a reader taking "seq > last" in between skips N for good. Here the first append
 * stalls after its row got its seq and before it commits, while a second append comes along. Always PostgreSQL
 * (SQLite has one writer, so its log cannot commit out of order), whatever DATABASE_URL says.
 */
let database: Awaited<ReturnType<typeof createThrowawayPostgres>>;
let orm: MikroORM;

beforeAll(async () => {
  database = await createThrowawayPostgres();
  orm = await openDatabase(database.settings);
});

afterAll(async () => {
  await orm?.close();
  await database?.drop();
});

const em = () => orm.em.fork() as EntityManager;

/** Appends one event as `name` through the one write path. */
const append = (name: string, clientId: number) =>
  writeWithEvents(em(), { ...SYSTEM_ACTOR, name }, async (_tx, record) =>
    record({ clientId, type: 'client.updated', changes: {} }),
  );

/** What a live reader does: every row after the last seq it has seen, in seq order. */
async function readAfter(last: number): Promise<number[]> {
  const rows = await em().find(ClientEvent, { seq: { $gt: last } }, { orderBy: { seq: 'asc' } });
  return rows.map((row) => row.seq);
}

it('never lets a reader taking "seq > last" skip a row that commits after a higher seq', async () => {
  let stalled = () => {};
  const rowWritten = new Promise<void>((resolve) => {
    stalled = resolve;
  });
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  // Runs inside the transaction, after the event row has its seq: the slow writer waits there, uncommitted.
  addEventHook(em(), async (_tx, actor) => {
    if (actor.name !== 'slow') return;
    stalled();
    await gate;
  });

  const slow = append('slow', 1);
  await rowWritten;
  const fast = append('fast', 2);
  // The second append either commits (a higher seq before the lower one) or waits for the first to commit.
  let fastDone = false;
  void fast.then(() => {
    fastDone = true;
  });
  await eventually(
    async () =>
      fastDone || (await em().execute("select 1 from pg_locks where locktype = 'advisory' and not granted")).length > 0,
    'the second append to commit or to wait',
  );

  const seen = await readAfter(0);
  release();
  await Promise.all([slow, fast]);
  seen.push(...(await readAfter(Math.max(0, ...seen))));

  expect(seen).toEqual(await readAfter(0));
  expect(seen).toHaveLength(2);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor';
import { startTestApp, type TestApp } from '../test/harness';
import { ClientEvent, type ClientEventEntity } from './entity';
import { addEventHook, type PendingEvent, writeTogether, writeWithEvents } from './write-path';

/** The write path's own contract, on whichever database the run uses (DATABASE_URL). */
let t: TestApp;
const heard: { actor: string; events: ClientEventEntity[] }[] = [];
const actor = (name: string): Actor => ({ id: 0, name, role: 'admin', clientId: null });

beforeAll(async () => {
  t = await startTestApp();
  addEventHook(t.em(), async (_tx, who, events) => {
    if (who.name.startsWith('write-path ')) heard.push({ actor: who.name, events: [...events] });
  });
});

afterAll(async () => {
  await t?.close();
});

const stored = (actorName: string) => t.em().find(ClientEvent, { actorName }, { orderBy: { seq: 'asc' } });

it('hands the hooks every row it appended, with the seq each was stored under, in order', async () => {
  const name = 'write-path batch';
  await writeWithEvents(t.em(), actor(name), async (_tx, record) => {
    for (const clientId of [901, 902, 903]) {
      record({ clientId, type: 'client.updated', changes: { city: { before: 'A', after: `B${clientId}` } } });
    }
  });
  const rows = await stored(name);
  expect(rows.map((row) => row.clientId)).toEqual([901, 902, 903]);
  const hooked = heard.find((entry) => entry.actor === name)?.events ?? [];
  expect(
    hooked.map(({ seq, clientId, type, actorName, changes }) => ({ seq, clientId, type, actorName, changes })),
  ).toEqual(rows.map(({ seq, clientId, type, actorName, changes }) => ({ seq, clientId, type, actorName, changes })));
});

it('appends inside a transaction someone else began, committing with it or not at all', async () => {
  const name = 'write-path nested';
  await t
    .em()
    .transactional((tx) =>
      writeWithEvents(tx, actor(name), async (_tx, record) =>
        record({ clientId: 904, type: 'client.updated', changes: {} }),
      ),
    );
  expect((await stored(name)).map((row) => row.clientId)).toEqual([904]);

  const failed = `${name} rolled back`;
  await expect(
    t.em().transactional(async (tx) => {
      await writeWithEvents(tx, actor(failed), async (_tx, record) =>
        record({ clientId: 905, type: 'client.updated', changes: {} }),
      );
      throw new Error('the outer work failed');
    }),
  ).rejects.toThrow('the outer work failed');
  expect(await stored(failed)).toEqual([]);
});

describe('writes committed together (group commit)', () => {
  /** A shared write that records one event for `clientId`, or writes nothing. */
  const event = (clientId: number): PendingEvent => ({
    clientId,
    type: 'client.updated',
    changes: { city: { before: 'A', after: 'B' } },
  });

  it('commits the writes that queue behind a running one in one transaction, each with its own actor', async () => {
    const name = 'write-path together';
    const written = await Promise.all(
      [911, 912, 913, 914].map((clientId, index) =>
        writeTogether(t.em(), actor(`${name} ${index}`), async () => ({ events: [event(clientId)], value: clientId })),
      ),
    );
    expect(written).toEqual([911, 912, 913, 914]);
    const rows = await t.em().find(ClientEvent, { clientId: [911, 912, 913, 914] }, { orderBy: { seq: 'asc' } });
    expect(rows.map((row) => [row.clientId, row.actorName])).toEqual([
      [911, `${name} 0`],
      [912, `${name} 1`],
      [913, `${name} 2`],
      [914, `${name} 3`],
    ]);
    // The first ran alone; the three that queued behind it shared one transaction, so one timestamp.
    expect(new Set(rows.slice(1).map((row) => row.at.getTime())).size).toBe(1);
    // Each actor's hooks heard its own event.
    for (const index of [0, 1, 2, 3]) {
      expect(heard.find((entry) => entry.actor === `${name} ${index}`)?.events.map((e) => e.clientId)).toEqual([
        911 + index,
      ]);
    }
  });

  it('answers each write its own value, also one that wrote nothing', async () => {
    const written = await Promise.all([
      writeTogether(t.em(), actor('write-path first'), async () => ({ events: [event(921)], value: 'first' })),
      writeTogether(t.em(), actor('write-path nothing'), async () => ({ events: [], value: 'nothing' })),
      writeTogether(t.em(), actor('write-path after'), async () => ({ events: [event(922)], value: 'after' })),
    ]);
    expect(written).toEqual(['first', 'nothing', 'after']);
    expect(await stored('write-path nothing')).toEqual([]);
    expect((await stored('write-path after')).map((row) => row.clientId)).toEqual([922]);
  });

  it('joins a transaction the caller began instead, committing with it or not at all', async () => {
    const name = 'write-path together nested';
    await t
      .em()
      .transactional((tx) => writeTogether(tx, actor(name), async () => ({ events: [event(941)], value: null })));
    expect((await stored(name)).map((row) => row.clientId)).toEqual([941]);

    const failed = `${name} rolled back`;
    await expect(
      t.em().transactional(async (tx) => {
        await writeTogether(tx, actor(failed), async () => ({ events: [event(942)], value: null }));
        throw new Error('the outer work failed');
      }),
    ).rejects.toThrow('the outer work failed');
    expect(await stored(failed)).toEqual([]);
  });

  it('keeps one write’s failure its own: the others of its transaction still commit', async () => {
    const results = await Promise.allSettled([
      writeTogether(t.em(), actor('write-path lead'), async () => ({ events: [event(931)], value: 1 })),
      writeTogether(t.em(), actor('write-path good'), async () => ({ events: [event(932)], value: 2 })),
      writeTogether(t.em(), actor('write-path bad'), async (tx) => {
        await tx.execute('select * from no_such_table');
        return { events: [event(933)], value: 3 };
      }),
      writeTogether(t.em(), actor('write-path good too'), async () => ({ events: [event(934)], value: 4 })),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((await stored('write-path good')).map((row) => row.clientId)).toEqual([932]);
    expect((await stored('write-path good too')).map((row) => row.clientId)).toEqual([934]);
    expect(await stored('write-path bad')).toEqual([]);
  });
});

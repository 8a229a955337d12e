import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../auth/actor';
import { startTestApp, type TestApp } from '../test/harness';
import { ClientEvent, type ClientEventEntity } from './entity';
import { addEventHook, writeWithEvents } from './write-path';

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

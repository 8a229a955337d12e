import { afterAll, beforeAll, expect, it } from 'vitest';
import { ClientEvent } from '../activity/entity';
import { writeWithEvents } from '../activity/write-path';
import { SYSTEM_ACTOR } from '../auth/actor';
import { ADMIN, startTestApp, type TestApp } from '../test/harness';
import { InProcessBus } from './bus';
import { LogReader } from './log-reader';

let t: TestApp;
let clientId: number;

beforeAll(async () => {
  t = await startTestApp();
  clientId = (await (await t.signIn(ADMIN.email, ADMIN.password)).api.clients.create.mutate({ name: 'Logged' })).id;
});

afterAll(async () => {
  await t?.close();
});

/** Appends one event through the one write path; answers its seq. */
async function append(city: string): Promise<number> {
  await writeWithEvents(t.em(), SYSTEM_ACTOR, async (_tx, record) => {
    record({ clientId, type: 'client.updated', changes: { city: { before: null, after: city } } });
  });
  const [last] = await t.em().find(ClientEvent, {}, { orderBy: { seq: 'desc' }, limit: 1 });
  return last?.seq ?? 0;
}

it('shares one read between subscribers at the same position, but never a read older than the commit one needs', async () => {
  const bus = new InProcessBus();
  const reader = new LogReader(bus);
  const orm = t.app.orm;
  const start = await append('Start');

  // Two subscribers woken by the same announcement share one read.
  const first = await append('First');
  bus.publish(first);
  const a = reader.page(orm, start, null, 10, first);
  const b = reader.page(orm, start, null, 10, first);
  expect(b).toBe(a);
  expect((await a).map((row) => row.seq)).toEqual([first]);

  // A later commit: a subscriber that needs it must not be served the read from before it.
  const second = await append('Second');
  bus.publish(second);
  const c = reader.page(orm, start, null, 10, second);
  expect(c).not.toBe(a);
  expect((await c).map((row) => row.seq)).toEqual([first, second]);

  // A commit the reader has not heard of yet (the announcement is late): the read is not shared either.
  const third = await append('Third');
  const d = reader.page(orm, start, null, 10, third);
  expect(d).not.toBe(c);
  expect((await d).map((row) => row.seq)).toEqual([first, second, third]);
  await bus.close();
});

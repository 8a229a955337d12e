import { afterAll, beforeAll, expect, it } from 'vitest';
import { ClientEvent } from '../activity/entity';
import { ADMIN, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { eventually, subscribeEvents } from './testing';

let t: TestApp;
let admin: SignedIn;
let viewer: SignedIn;

beforeAll(async () => {
  t = await startTestApp({ realtime: { pageSize: 10 } });
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  viewer = await t.as('viewer');
});

afterAll(async () => {
  await t?.close();
});

async function loggedSeqs(clientId: number, after: number): Promise<number[]> {
  const rows = await t
    .em()
    .find(ClientEvent, { clientId, seq: { $gt: after } }, { orderBy: { seq: 'asc' }, fields: ['seq'] });
  return rows.map((row) => row.seq);
}

async function editCity(id: number, from: string | null, values: string[]): Promise<void> {
  let base = from;
  for (const value of values) {
    const { conflicts } = await admin.api.clients.update.mutate({ id, changes: { city: { base, value } } });
    expect(conflicts).toEqual([]);
    base = value;
  }
}

const numbered = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}`);

it('misses nothing across a server restart on the same database, whether it stayed subscribed or came back later', async () => {
  const client = await admin.api.clients.create.mutate({ name: 'Restarted', city: 'Start' });
  // One subscriber stays subscribed (tRPC's client reconnects by itself and resumes from its last tracked id);
  // the other leaves before the restart and comes back afterwards with its last id.
  const stayed = subscribeEvents(viewer.ws(), { clientId: client.id });
  const away = subscribeEvents(viewer.ws(), { clientId: client.id });
  await eventually(() => stayed.heads().length === 1 && away.heads().length === 1, 'both caught up');
  const start = stayed.heads()[0] ?? 0;

  await editCity(client.id, 'Start', numbered('Before', 30));
  await eventually(() => stayed.events().length === 30 && away.events().length === 30, 'the edits before');
  away.stop();
  const awayLastId = away.lastId();

  await t.restart();
  await editCity(client.id, 'Before 30', numbered('After', 100));

  const expected = await loggedSeqs(client.id, start);
  expect(expected).toHaveLength(130);
  await eventually(() => stayed.events().length >= 130, 'the stream to resume after the restart');
  expect(stayed.events().map((event) => event.seq)).toEqual(expected);
  expect(stayed.events().map((event) => event.changes.city?.after)).toEqual([
    ...numbered('Before', 30),
    ...numbered('After', 100),
  ]);
  expect(stayed.error).toBeNull();

  const back = subscribeEvents(viewer.ws(), { lastEventId: awayLastId, clientId: client.id });
  await eventually(() => back.heads().length === 1 || back.error !== null, 'the replay after coming back');
  expect(back.error).toBeNull();
  expect(back.events().map((event) => event.seq)).toEqual(expected.slice(30));
  stayed.stop();
  back.stop();
});

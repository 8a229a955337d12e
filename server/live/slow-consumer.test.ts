import type { EntityManager } from '@mikro-orm/knex';
import superjson from 'superjson';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ClientEvent } from '../activity/entity';
import { writeWithEvents } from '../activity/write-path';
import { SYSTEM_ACTOR } from '../auth/actor';
import { ADMIN, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { TOO_FAR_BEHIND } from './subscriber';
import { eventually, subscribeEvents } from './testing';

const HIGH_WATER = 64 * 1024;
const PAGE_SIZE = 50;
// Enough to fill the socket's budget after the kernel's buffers (a few MB here); the test stops once cut off.
const MAX_EVENTS = 3_000;
const BATCH = 40;
const PAYLOAD = 16 * 1024;

let t: TestApp;
let viewer: SignedIn;

beforeAll(async () => {
  t = await startTestApp({
    realtime: { highWaterBytes: HIGH_WATER, stallMs: 300, pageSize: PAGE_SIZE, frameBytes: PAYLOAD },
  });
  viewer = await t.as('viewer');
});

afterAll(async () => {
  await t?.close();
});

interface Frame {
  id: number | null;
  result?: { type: string; id?: string };
  error?: { json: { message: string; data: { code: string } } };
}

/** A bare `ws` client speaking tRPC's protocol, so the test decides when (and whether) it reads. */
async function rawSubscriber(cookie: string) {
  const socket = new WebSocket(`${t.url.replace('http', 'ws')}/trpc`, { headers: { cookie } });
  const frames: Frame[] = [];
  socket.on('message', (data) => {
    const text = String(data);
    if (text !== 'PING' && text !== 'PONG') frames.push(JSON.parse(text) as Frame);
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(
    JSON.stringify({
      id: 1,
      method: 'subscription',
      params: { path: 'live.events', input: superjson.serialize({}) },
    }),
  );
  return { socket, frames };
}

it('cuts off a consumer that stops reading, holding at most its budget, and lets it resume from the log', async () => {
  const client = await (await t.signIn(ADMIN.email, ADMIN.password)).api.clients.create.mutate({ name: 'Busy' });
  const { socket, frames } = await rawSubscriber(viewer.cookie);
  await eventually(() => frames.some((frame) => frame.result?.type === 'data'), 'the head marker');
  const userId = (await viewer.api.auth.me.query())?.id;
  expect(t.app.realtime.streams.list().filter((stream) => stream.userId === userId)).toHaveLength(1);

  socket.pause();
  let peakBuffered = 0;
  let peakPending = 0;
  /** This viewer's open streams, noting the most they held. */
  const mine = () => {
    const open = t.app.realtime.streams.list().filter((stream) => stream.userId === userId);
    for (const stream of open) {
      peakBuffered = Math.max(peakBuffered, stream.peakBufferedBytes, stream.bufferedBytes);
      peakPending = Math.max(peakPending, stream.pending);
    }
    return open;
  };
  let produced = 0;
  while (mine().length > 0 && produced < MAX_EVENTS) {
    await writeWithEvents(t.em() as EntityManager, SYSTEM_ACTOR, async (_tx, record) => {
      for (let i = 0; i < BATCH; i++) {
        const after = `${produced++} ${'x'.repeat(PAYLOAD)}`;
        record({ clientId: client.id, type: 'client.updated', changes: { companyAddress: { before: null, after } } });
      }
    });
  }

  await eventually(() => mine().length === 0, 'the stalled stream to be cut off');
  // The server held at most its budget plus the one frame that crossed it (events of PAYLOAD go one per frame), and
  // one page of the log.
  expect(peakBuffered).toBeGreaterThan(HIGH_WATER);
  expect(peakBuffered).toBeLessThan(HIGH_WATER + PAYLOAD + 2048);
  expect(peakPending).toBeLessThanOrEqual(PAGE_SIZE);

  socket.resume();
  await eventually(() => frames.some((frame) => frame.error), 'the reason, after what was queued');
  socket.terminate();
  const error = frames.find((frame) => frame.error)?.error?.json;
  expect(error).toMatchObject({ message: TOO_FAR_BEHIND, data: { code: 'TOO_MANY_REQUESTS' } });
  const delivered = frames.flatMap((frame) =>
    frame.result?.type === 'data' && frame.result.id ? [frame.result.id] : [],
  );
  const events = delivered.slice(1).map(Number); // after the head marker
  expect(events.length).toBeGreaterThan(0);
  expect(events.length).toBeLessThan(produced);

  const logged = (
    await t.em().find(ClientEvent, { clientId: client.id }, { orderBy: { seq: 'asc' }, fields: ['seq'] })
  ).map((row) => row.seq);
  expect(events).toEqual(logged.slice(1, events.length + 1)); // after the client's creation

  const resumed = subscribeEvents(viewer.ws(), { lastEventId: delivered.at(-1) });
  await eventually(() => resumed.heads().length > 0 || resumed.error !== null, 'the rest, from the log');
  expect(resumed.error).toBeNull();
  expect([...events, ...resumed.events().map((event) => event.seq)]).toEqual(logged.slice(1));
  resumed.stop();
});

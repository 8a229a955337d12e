import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, subscribeEvents } from '../live/testing';
import { type TrpcFrame, TrpcSocket, toJson, wireInput } from '../load/trpc-socket';
import { ADMIN, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { FIELD_NAMES, FUZZ_RUNS, FUZZ_SEED, hostileInput, NASTY_STRINGS } from './hostile';
import { tablesFingerprint } from './snapshot';

/**
 * The WebSocket: malformed frames (not JSON, binary, wrong shapes), tRPC messages with hostile ids, methods, paths
 * and inputs, and messages over the size limit. Each is answered with a tRPC error of a 4xx kind (never
 * INTERNAL_SERVER_ERROR) or the socket is closed with a reason; rows never change; the server keeps serving, and
 * a well-behaved subscriber on another socket keeps receiving events throughout.
 */
let t: TestApp;
let admin: SignedIn;
let tried = 0;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
}, 120_000);

afterAll(async () => {
  console.log(`fuzz websocket: ${tried} hostile messages (FUZZ_RUNS=${FUZZ_RUNS}, seed ${FUZZ_SEED})`);
  await t?.close();
});

const PROCEDURES = [
  'live.events',
  'presence.watch',
  'clients.get',
  'clients.create',
  'notes.add',
  'auth.me',
  'nope.nothing',
];

/** Messages as a broken or hostile client would send them. */
const message = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(
    '{}',
    '[]',
    'null',
    '5',
    '{"id":1}',
    '{"id":null,"method":"subscription.stop"}',
    '{"method":"reconnect"}',
  ),
  fc
    .record({
      id: fc.oneof(fc.integer(), fc.constantFrom(null, 'x', {}, [], -1, 1.5), fc.constantFrom(...NASTY_STRINGS)),
      jsonrpc: fc.option(fc.constantFrom('2.0', 'x')),
      method: fc.oneof(
        fc.constantFrom('query', 'mutation', 'subscription', 'subscription.stop', 'connectionParams'),
        fc.string(),
      ),
      params: fc.oneof(
        fc.record({
          path: fc.oneof(fc.constantFrom(...PROCEDURES), fc.constantFrom(...FIELD_NAMES)),
          input: hostileInput.map(wireInput),
          lastEventId: fc.option(fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.integer().map(String))),
        }),
        hostileInput,
      ),
      data: fc.option(hostileInput),
    })
    .map(toJson),
);

it('answers hostile messages with a 4xx error or a closed socket, and keeps serving everyone else', async () => {
  // A well-behaved subscriber on its own socket, to see that nobody else is disturbed.
  const bystander = subscribeEvents(admin.ws());
  await eventually(() => bystander.heads().length > 0, 'the bystander’s head marker');
  const fingerprint = await tablesFingerprint(t.app.orm);

  await fc.assert(
    fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 5 }), async (messages) => {
      const socket = await TrpcSocket.open(t.url, admin.cookie, { record: true });
      for (const sent of messages) {
        tried++;
        socket.sendRaw(sent);
      }
      // Whatever comes back within a moment: errors must be of the client's making, with no stack.
      await new Promise((resolve) => setTimeout(resolve, 30));
      for (const frame of socket.frames as TrpcFrame[]) {
        const data = frame.error?.json?.data as { code?: string; httpStatus?: number; stack?: unknown } | undefined;
        if (!frame.error) continue;
        const context = `${JSON.stringify(messages).slice(0, 400)} -> ${JSON.stringify(frame).slice(0, 300)}`;
        expect(data?.code, context).not.toBe('INTERNAL_SERVER_ERROR');
        expect(data?.httpStatus ?? 400, context).toBeLessThan(500);
        expect(data?.stack ?? null, context).toBeNull();
      }
      await socket.close();
    }),
    { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true },
  );
  // Hostile messages may have been valid calls (a client created with a hostile name): compare only if none was.
  const created = await t.em().count('Client', {});
  if (created === 0) expect(await tablesFingerprint(t.app.orm)).toBe(fingerprint);

  // Still serving: health, and the bystander gets the next event.
  expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  const client = await admin.api.clients.create.mutate({ name: 'After the fuzzing' });
  await eventually(() => bystander.events().some((event) => event.clientId === client.id), 'the bystander’s event');
  expect(bystander.error).toBeNull();
  bystander.stop();
}, 300_000);

it('closes a socket that sends a message over 1 MB, with the reason, and nobody else notices', async () => {
  const socket = new WebSocket(`${t.url.replace('http', 'ws')}/trpc`, { headers: { cookie: admin.cookie } });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  socket.send(
    JSON.stringify({ id: 1, method: 'query', params: { path: 'auth.me', input: 'x'.repeat(2 * 1024 * 1024) } }),
  );
  tried++;
  expect(await closed).toBe(1009); // "message too big"
  expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  const other = await TrpcSocket.open(t.url, admin.cookie);
  const me = await other.call('query', 'auth.me', undefined);
  expect(me.result?.type).toBe('data');
  await other.close();
});

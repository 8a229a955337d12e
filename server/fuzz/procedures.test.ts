import type { EntityManager } from '@mikro-orm/knex';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appRouter } from '../app-router';
import { CSRF_HEADER } from '../context';
import { eventually } from '../live/testing';
import { sessionCookieFor } from '../load/session';
import { type TrpcFrame, TrpcSocket, toJson, wireInput } from '../load/trpc-socket';
import { ADMIN, startTestApp, type TestApp } from '../test/harness';
import { User } from '../users/entity';
import { describeInput, FUZZ_RUNS, FUZZ_SEED, hostileInput } from './hostile';
import { tablesFingerprint } from './snapshot';

/**
 * Every tRPC procedure (read from the router, so a new one is covered without touching this file) gets FUZZ_RUNS
 * hostile inputs from an administrator, who passes every permission check and so reaches every input rule.
 * Each answer must be a success or a clear refusal with a 4xx code, never a 500; a refused input must change no
 * row (the tables' fingerprint before and after); the server must still answer /healthz afterwards.
 * Queries and mutations go over HTTP as the browser sends them; subscriptions over the WebSocket.
 */
type Procedure = { _def: { type: 'query' | 'mutation' | 'subscription' } };
const procedures = (appRouter._def as unknown as { procedures: Record<string, Procedure> }).procedures;

let t: TestApp;
let adminId: number;
let cookie: string;
let fingerprint: string;
const tried = new Map<string, number>();

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.signIn(ADMIN.email, ADMIN.password);
  adminId = (await admin.api.auth.me.query())?.id ?? 0;
  cookie = admin.cookie;
  // A few real rows, so small ids in the inputs sometimes reach real records and the rules behind them.
  const client = await admin.api.clients.create.mutate({ name: 'Fuzz Client', email: 'fuzz@example.com' });
  await admin.api.notes.add.mutate({ clientId: client.id, body: 'A note', visibility: 'private' });
  await admin.api.projects.add.mutate({ clientId: client.id, name: 'A project' });
  await admin.api.lookups.createCategory.mutate({ name: 'Fuzz Category' });
  fingerprint = await tablesFingerprint(t.app.orm);
}, 120_000);

afterAll(async () => {
  const total = [...tried.values()].reduce((sum, count) => sum + count, 0);
  console.log(
    `fuzz: ${total} hostile inputs over ${tried.size} procedures (${FUZZ_RUNS} each, seed ${FUZZ_SEED}; FUZZ_RUNS and FUZZ_SEED change them)`,
  );
  await t?.close();
});

/**
 * A valid input may do what it says (deactivate a user, sign out everywhere): after any success, the fuzzing
 * administrator is made an active administrator again with a working session, and the fingerprint taken anew.
 */
async function afterSuccess(): Promise<void> {
  const em = t.em() as EntityManager;
  await em.nativeUpdate(User, { id: adminId }, { active: true, role: 'admin' });
  const me = await fetch(`${t.url}/trpc/auth.me`, { headers: { cookie } });
  if (!((await me.json()) as { result?: { data?: { json?: unknown } } }).result?.data?.json) {
    cookie = await sessionCookieFor(em, adminId);
  }
  fingerprint = await tablesFingerprint(t.app.orm);
}

interface Answer {
  status: number;
  ok: boolean;
  code?: string;
  message?: string;
  stack?: unknown;
}

async function overHttp(path: string, type: 'query' | 'mutation', input: unknown): Promise<Answer> {
  const encoded = toJson(wireInput(input));
  const headers = { cookie, [CSRF_HEADER]: '1', 'content-type': 'application/json' };
  const response =
    type === 'query'
      ? await fetch(`${t.url}/trpc/${path}?input=${encodeURIComponent(encoded)}`, { headers })
      : await fetch(`${t.url}/trpc/${path}`, { method: 'POST', headers, body: encoded });
  const text = await response.text();
  let body: { error?: { json?: { message?: string; data?: { code?: string; stack?: unknown } } } } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // Node's own refusals (431 for a URL too long) have no JSON body.
  }
  const error = body.error?.json;
  return {
    status: response.status,
    ok: response.ok,
    code: error?.data?.code,
    message: error?.message,
    stack: error?.data?.stack,
  };
}

async function overWebSocket(path: string, input: unknown): Promise<Answer> {
  const socket = await TrpcSocket.open(t.url, cookie);
  let first: TrpcFrame | null = null;
  const id = socket.subscribe(path, input, {
    onData: (frame) => {
      first ??= frame;
    },
    onError: (frame) => {
      first ??= frame;
    },
  });
  await eventually(() => first !== null || socket.closed, `an answer from ${path}`, 10_000);
  socket.stop(id);
  await socket.close();
  const frame = first as TrpcFrame | null;
  const error = frame?.error?.json;
  if (!error) return { status: 200, ok: true };
  return {
    status: error.data?.httpStatus ?? 0,
    ok: false,
    code: error.data?.code,
    message: error.message,
    stack: (error.data as { stack?: unknown } | undefined)?.stack,
  };
}

for (const [path, procedure] of Object.entries(procedures)) {
  const { type } = procedure._def;
  it(`${type} ${path}: hostile input is refused with a clear 4xx and changes nothing`, async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(hostileInput, async (input) => {
        count++;
        const answer = type === 'subscription' ? await overWebSocket(path, input) : await overHttp(path, type, input);
        const context = `${path} with ${describeInput(input)}: ${answer.status} ${answer.code ?? ''} ${answer.message ?? ''}`;
        expect(answer.status, context).toBeLessThan(500);
        if (answer.ok) {
          await afterSuccess();
          return;
        }
        expect(answer.status, context).toBeGreaterThanOrEqual(400);
        expect(answer.code ?? 'no body', context).not.toBe('INTERNAL_SERVER_ERROR');
        expect(answer.stack ?? null, context).toBeNull();
        if (answer.message !== undefined) {
          expect(answer.message.length, context).toBeGreaterThan(0);
          expect(answer.message, context).not.toMatch(/\n\s+at |node_modules|Exception:/);
        }
        if (type === 'mutation')
          expect(await tablesFingerprint(t.app.orm), `rows changed: ${context}`).toBe(fingerprint);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true },
    );
    tried.set(path, count);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  }, 300_000);
}

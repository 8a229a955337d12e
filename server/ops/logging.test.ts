import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../live/testing';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { createLogger } from './log';

/** Every line the app logged, parsed; the raw text too, to search for what must never appear. */
const written: string[] = [];
const lines = () => written.map((line) => JSON.parse(line) as Record<string, unknown>);
const logged = () => written.join('');

let t: TestApp;
let admin: SignedIn;
let adminId: number;

beforeAll(async () => {
  // The most detailed level: nothing secret may appear even there.
  t = await startTestApp({ logger: createLogger('trace', { write: (line: string) => written.push(line) }) });
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  adminId = (await admin.api.auth.me.query())?.id ?? 0;
});

afterAll(async () => {
  await t?.close();
});

/** The request line logged for `path` with the request id `reqId`. */
async function requestLine(reqId: string): Promise<Record<string, unknown>> {
  let line: Record<string, unknown> | undefined;
  await eventually(() => {
    line = lines().find((entry) => entry.reqId === reqId && 'status' in entry);
    return Boolean(line);
  }, `the request line of ${reqId}`);
  return line ?? {};
}

describe('request logs', () => {
  it('logs each request as JSON with its id, user, method, path, status and duration, and echoes the id', async () => {
    const response = await fetch(`${t.url}/trpc/auth.me`, {
      headers: { cookie: admin.cookie, 'X-Request-Id': 'trace-me-42' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('trace-me-42');
    expect(await requestLine('trace-me-42')).toMatchObject({
      level: 30,
      reqId: 'trace-me-42',
      userId: adminId,
      method: 'GET',
      path: '/trpc/auth.me',
      status: 200,
      durationMs: expect.any(Number),
    });
  });

  it('makes up an id when the caller sends none or one that is no id, and logs no user when signed out', async () => {
    for (const sent of [undefined, 'not an id; <script>']) {
      const response = await fetch(`${t.url}/healthz`, { headers: sent ? { 'X-Request-Id': sent } : {} });
      const reqId = response.headers.get('x-request-id') ?? '';
      expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
      const line = await requestLine(reqId);
      expect(line).toMatchObject({ method: 'GET', path: '/healthz', status: 200 });
      expect(line).not.toHaveProperty('userId');
    }
  });

  it('logs a refused tRPC call with its procedure and code', async () => {
    await failure(t.anonymous().clients.list.query({}));
    await eventually(
      () => lines().some((line) => line.procedure === 'clients.list' && line.code === 'UNAUTHORIZED'),
      'the refusal of clients.list',
    );
  });
});

describe('no secrets in the log', () => {
  it('never logs a password, a session cookie, a set-password token or an Authorization header', async () => {
    const password = 'Sekret-Passw0rd-in-body';
    const email = 'secret.keeper@example.com';
    await admin.api.users.create.mutate({ email, name: 'Secret Keeper', role: 'agent', password });
    // A successful sign-in (the answer sets a session cookie) and a failed one (the typed password is wrong).
    const someone = await t.signIn(email, password);
    await failure(t.anonymous().auth.login.mutate({ email, password: 'Wrong-Passw0rd-typed' }));
    await someone.api.auth.me.query();
    // A set-password link's token rides in the query string; a bearer token in a header.
    await fetch(`${t.url}/set-password?token=link-token-value-123`, { headers: { 'X-Request-Id': 'link-page' } });
    await fetch(`${t.url}/trpc/auth.me`, {
      headers: { Authorization: 'Bearer header-token-value-456', 'X-Request-Id': 'with-bearer' },
    });
    await requestLine('link-page');
    await requestLine('with-bearer');

    const sessionToken = someone.cookie.split('=')[1] ?? '';
    expect(sessionToken.length).toBeGreaterThan(10);
    const text = logged();
    for (const secret of [
      password,
      'Wrong-Passw0rd-typed',
      ADMIN.password,
      sessionToken,
      admin.cookie.split('=')[1] ?? '',
      'link-token-value-123',
      'header-token-value-456',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/cookie|authorization/i);
    // The sign-in itself was logged, by path only.
    expect(lines().some((line) => line.path === '/trpc/auth.login' && line.status === 200)).toBe(true);
  });
});

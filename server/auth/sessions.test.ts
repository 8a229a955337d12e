import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../live/testing';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { User } from '../users/entity';
import { Session } from './entity';
import { sessionChecksOf } from './session-checks';
import { hashToken } from './session-sockets';
import { startSession } from './sessions';

const IDLE_MS = 1_500;
const ABSOLUTE_MS = 4_000;

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ config: { sessions: { idleMs: IDLE_MS, absoluteMs: ABSOLUTE_MS } } });
});

afterAll(async () => {
  await t?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A sign-in over plain fetch, to see the Set-Cookie header; `cookie` is sent along when given. */
async function rawLogin(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; setCookie: string; headers: Headers }> {
  const response = await fetch(`${url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kartoteka-csrf': '1', ...headers },
    body: JSON.stringify(superjson.serialize(ADMIN)),
  });
  await response.text();
  return { status: response.status, setCookie: response.headers.get('set-cookie') ?? '', headers: response.headers };
}

const meWith = (cookie: string) => t.anonymous({ cookie }).auth.me.query();

describe('sign-in', () => {
  it('rotates the session: signing in with a session cookie ends that session and issues a new token', async () => {
    const before = await t.signIn(ADMIN.email, ADMIN.password);
    const after = await rawLogin(t.url, { cookie: before.cookie });
    const cookie = after.setCookie.split(';')[0] ?? '';
    expect(cookie).toMatch(/^kartoteka_session=.+/);
    expect(cookie).not.toBe(before.cookie);
    expect(await meWith(before.cookie)).toBeNull();
    expect(await meWith(cookie)).toMatchObject({ email: ADMIN.email });
  });

  it('sets a cookie that expires with the session’s absolute limit', async () => {
    const { setCookie } = await rawLogin(t.url);
    const expires = Date.parse(/Expires=([^;]+)/.exec(setCookie)?.[1] ?? '');
    const [session] = await t.em().find(Session, {}, { orderBy: { id: 'desc' }, limit: 1 });
    // The cookie's Expires has whole seconds; the row has milliseconds.
    expect(Math.floor((session?.expiresAt.getTime() ?? 0) / 1000) * 1000).toBe(expires);
    expect((session?.expiresAt.getTime() ?? 0) - (session?.createdAt.getTime() ?? 0)).toBe(ABSOLUTE_MS);
  });
});

describe('expiry', () => {
  it('ends a session left idle longer than the idle limit, and removes it', async () => {
    const session = await t.signIn(ADMIN.email, ADMIN.password);
    expect(await session.api.auth.me.query()).not.toBeNull();
    await sleep(IDLE_MS + 300);
    expect(await session.api.auth.me.query()).toBeNull();
    expect((await failure(session.api.clients.list.query({}))).code).toBe('UNAUTHORIZED');
    const token = session.cookie.split('=')[1] ?? '';
    expect(await t.em().count(Session, { tokenHash: hashToken(token) })).toBe(0);
  });

  it('keeps an active session past the idle limit, but ends it at the absolute limit however active', async () => {
    const session = await t.signIn(ADMIN.email, ADMIN.password);
    const started = Date.now();
    // Busy for longer than the idle limit: still signed in.
    while (Date.now() - started < IDLE_MS * 1.6) {
      expect(await session.api.auth.me.query()).not.toBeNull();
      await sleep(200);
    }
    // Still busy: the session ends anyway once its absolute limit passes.
    await eventually(async () => {
      const me = await session.api.auth.me.query();
      await sleep(200);
      return me === null;
    }, 'the absolute limit to end the session');
    expect((await failure(session.api.clients.list.query({}))).code).toBe('UNAUTHORIZED');
  });
});

describe('session checks asked at once (every live subscription at a save)', () => {
  it('answers each of hundreds of checks with its own session, in parts, and an ended session with nobody', async () => {
    const viewer = await t.as('viewer');
    const agent = await t.as('agent');
    const users = [
      await t.em().findOneOrFail(User, { email: viewer.email }),
      await t.em().findOneOrFail(User, { email: agent.email }),
    ];
    const tokens: { hash: string; userId: number | null }[] = [];
    for (let i = 0; i < 250; i++) {
      const user = users[i % 2] as (typeof users)[number];
      tokens.push({ hash: hashToken((await startSession(t.em(), user.id)).token), userId: user.id });
    }
    const ended = tokens[137] as { hash: string; userId: number | null };
    await t.em().nativeDelete(Session, { tokenHash: ended.hash });
    ended.userId = null;
    tokens.push({ hash: hashToken('never-issued'), userId: null });
    // Making 250 sessions can take longer than this file's short idle limit on a busy machine: all just used.
    await t
      .em()
      .nativeUpdate(Session, { tokenHash: { $in: tokens.map(({ hash }) => hash) } }, { lastSeenAt: new Date() });

    const checks = sessionChecksOf(t.app.orm);
    // Asked in the same turn of the event loop, as a save's wake-up asks them, in parts of a hundred; one token
    // twice, the second time after its part filled up (it joins that part's lookup).
    const asked = [...tokens, ended];
    const answers = await Promise.all(asked.map(({ hash }) => checks.user(hash)));
    expect(answers.map((user) => user?.id ?? null)).toEqual(asked.map(({ userId }) => userId));
    expect(answers.filter((user) => user === null)).toHaveLength(3);
  });
});

describe('sign out everywhere', () => {
  let first: SignedIn;
  let second: SignedIn;

  beforeAll(async () => {
    const user = await t.as('agent');
    first = user;
    second = await t.signIn(user.email, user.password);
  });

  it('ends every session of the user, over HTTP and WebSocket, and clears the cookie', async () => {
    const socket = second.ws();
    expect(await socket.auth.me.query()).not.toBeNull();
    const other = await t.as('agent');

    const response = await fetch(`${t.url}/trpc/auth.logoutEverywhere`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kartoteka-csrf': '1', cookie: first.cookie },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/^kartoteka_session=;.*Expires=Thu, 01 Jan 1970/i);
    expect(await first.api.auth.me.query()).toBeNull();
    expect(await second.api.auth.me.query()).toBeNull();
    expect(await socket.auth.me.query()).toBeNull();
    // Only that user: another agent stays signed in.
    expect(await other.api.auth.me.query()).not.toBeNull();
  });

  it('needs a session', async () => {
    expect((await failure(t.anonymous().auth.logoutEverywhere.mutate())).code).toBe('UNAUTHORIZED');
  });
});

describe('Secure cookie and HSTS', () => {
  it('marks the cookie Secure behind a trusted proxy that says https, and not otherwise', async () => {
    const behindProxy = await startTestApp({ config: { trustProxy: 'loopback' } });
    try {
      const https = await rawLogin(behindProxy.url, { 'x-forwarded-proto': 'https' });
      expect(https.setCookie).toMatch(/;\s*Secure/i);
      expect(https.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      const http = await rawLogin(behindProxy.url);
      expect(http.setCookie).not.toMatch(/;\s*Secure/i);
      expect(http.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await behindProxy.close();
    }
    // Without TRUST_PROXY, anybody could send the header: it is ignored.
    const forged = await rawLogin(t.url, { 'x-forwarded-proto': 'https' });
    expect(forged.setCookie).not.toMatch(/;\s*Secure/i);
  });
});

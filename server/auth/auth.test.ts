import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ADMIN, failure, startTestApp, type TestApp } from '../test/harness';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t?.close();
});

/** A plain (unbatched) tRPC call over fetch, to see the raw HTTP answer and its headers. */
function rawCall(path: string, input: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${t.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(superjson.serialize(input)),
  });
}

/** Opens a raw WebSocket to /trpc and reports how the upgrade ended: 'open' or the refusing HTTP status. */
function upgrade(headers: Record<string, string>): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${t.url.replace('http', 'ws')}/trpc`, { headers });
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      socket.terminate();
    });
    socket.once('error', (error) => {
      // 'unexpected-response' resolves first; an error after it is the aborted socket.
      reject(error);
    });
  });
}

describe('sign-in', () => {
  it('signs in and sets an HttpOnly, SameSite session cookie', async () => {
    const response = await rawCall('auth.login', ADMIN, { 'x-kartoteka-csrf': '1' });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^kartoteka_session=[^;]+;/);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=(Lax|Strict)/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    const body = (await response.json()) as { result: { data: { json: unknown } } };
    expect(body.result.data.json).toMatchObject({ email: ADMIN.email, role: 'admin', name: 'Administrator' });
    expect(JSON.stringify(body)).not.toMatch(/passwordHash|scrypt/);
  });

  it('accepts the e-mail in any case and with spaces around it', async () => {
    const user = await t
      .anonymous()
      .auth.login.mutate({ email: `  ${ADMIN.email.toUpperCase()} `, password: ADMIN.password });
    expect(user.email).toBe(ADMIN.email);
  });

  it('gives the same UNAUTHORIZED answer for a wrong password and an unknown e-mail', async () => {
    const wrongPassword = await failure(t.anonymous().auth.login.mutate({ email: ADMIN.email, password: 'nope-nope' }));
    const unknownEmail = await failure(
      t.anonymous().auth.login.mutate({ email: 'nobody@example.com', password: ADMIN.password }),
    );
    expect(wrongPassword.code).toBe('UNAUTHORIZED');
    expect(unknownEmail.code).toBe('UNAUTHORIZED');
    expect(wrongPassword.httpStatus).toBe(401);
    expect(unknownEmail.message).toBe(wrongPassword.message);
  });

  it('sets no cookie when the sign-in fails', async () => {
    const response = await rawCall(
      'auth.login',
      { email: ADMIN.email, password: 'wrong-password' },
      {
        'x-kartoteka-csrf': '1',
      },
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('refuses empty credentials as bad input', async () => {
    const error = await failure(t.anonymous().auth.login.mutate({ email: '', password: '' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors?.email).toBeDefined();
    expect(error.fieldErrors?.password).toBeDefined();
  });
});

describe('portal sign-in', () => {
  it('follows the client’s "Login allowed": off refuses sign-in and ends open sessions', async () => {
    const admin = await t.signIn(ADMIN.email, ADMIN.password);
    const client = await admin.api.clients.create.mutate({ name: 'Portal Person', loginAllowed: true });
    const portal = await t.as('client', { clientId: client.id });
    expect(await portal.api.auth.me.query()).toMatchObject({ role: 'client', clientId: client.id });

    await admin.api.clients.update.mutate({ id: client.id, changes: { loginAllowed: { base: true, value: false } } });
    expect(await portal.api.auth.me.query()).toBeNull();
    const refused = await failure(t.signIn(portal.email, portal.password));
    expect(refused.code).toBe('UNAUTHORIZED');
    expect(refused.message).toBe('E-mail or password is wrong.');

    await admin.api.clients.update.mutate({ id: client.id, changes: { loginAllowed: { base: false, value: true } } });
    const again = await t.signIn(portal.email, portal.password);
    expect(await again.api.clients.get.query({ id: client.id })).toMatchObject({ name: 'Portal Person' });

    // A deleted client's portal account stops working too.
    await admin.api.clients.delete.mutate({ ids: [client.id] });
    expect(await again.api.auth.me.query()).toBeNull();
  });
});

describe('auth.me', () => {
  it('is null when signed out', async () => {
    expect(await t.anonymous().auth.me.query()).toBeNull();
  });

  it('is the user when signed in', async () => {
    const admin = await t.signIn(ADMIN.email, ADMIN.password);
    expect(await admin.api.auth.me.query()).toMatchObject({
      email: ADMIN.email,
      name: 'Administrator',
      role: 'admin',
      clientId: null,
    });
  });

  it('is null for a cookie the server never issued', async () => {
    const forged = t.anonymous({ cookie: 'kartoteka_session=forged-token', 'x-kartoteka-csrf': '1' });
    expect(await forged.auth.me.query()).toBeNull();
  });
});

describe('sign-out', () => {
  it('ends the session: the cookie no longer works', async () => {
    const session = await t.signIn(ADMIN.email, ADMIN.password);
    expect(await session.api.auth.me.query()).not.toBeNull();
    const response = await rawCall('auth.logout', undefined, { cookie: session.cookie, 'x-kartoteka-csrf': '1' });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/^kartoteka_session=;.*Expires=Thu, 01 Jan 1970/i);
    expect(await session.api.auth.me.query()).toBeNull();
    expect((await failure(session.api.clients.list.query({}))).code).toBe('UNAUTHORIZED');
  });

  it('ends only that session, not the same user’s other ones', async () => {
    const first = await t.signIn(ADMIN.email, ADMIN.password);
    const second = await t.signIn(ADMIN.email, ADMIN.password);
    expect(first.cookie).not.toBe(second.cookie);
    await first.api.auth.logout.mutate();
    expect(await first.api.auth.me.query()).toBeNull();
    expect(await second.api.auth.me.query()).toMatchObject({ email: ADMIN.email });
  });
});

describe('guards', () => {
  it('answers UNAUTHORIZED to a signed-out clients.list', async () => {
    const error = await failure(t.anonymous().clients.list.query({}));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.httpStatus).toBe(401);
  });

  it('answers FORBIDDEN to a mutation without the CSRF header, and does nothing', async () => {
    const noHeader = await failure(t.anonymous({}).auth.login.mutate(ADMIN));
    expect(noHeader.code).toBe('FORBIDDEN');

    const admin = await t.signIn(ADMIN.email, ADMIN.password);
    const withoutCsrf = t.anonymous({ cookie: admin.cookie });
    const error = await failure(withoutCsrf.clients.create.mutate({ name: 'Cross-site Forgery' }));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.httpStatus).toBe(403);
    const wrongValue = t.anonymous({ cookie: admin.cookie, 'x-kartoteka-csrf': 'yes' });
    expect((await failure(wrongValue.auth.logout.mutate())).code).toBe('FORBIDDEN');
    // Nothing happened: no client, and the session survived the refused logout.
    expect((await admin.api.clients.list.query({ search: 'forgery' })).total).toBe(0);
    expect(await admin.api.auth.me.query()).not.toBeNull();
  });

  it('lets queries through without the CSRF header', async () => {
    const admin = await t.signIn(ADMIN.email, ADMIN.password);
    const plain = t.anonymous({ cookie: admin.cookie });
    expect(await plain.auth.me.query()).toMatchObject({ email: ADMIN.email });
  });
});

describe('WebSocket', () => {
  it('refuses an upgrade without a session cookie with HTTP 401', async () => {
    expect(await upgrade({})).toBe(401);
  });

  it('refuses an upgrade with an unknown session token with HTTP 401', async () => {
    expect(await upgrade({ cookie: 'kartoteka_session=not-a-session' })).toBe(401);
  });

  it('refuses an upgrade from a foreign Origin with HTTP 403, even with a good cookie', async () => {
    const admin = await t.signIn(ADMIN.email, ADMIN.password);
    expect(await upgrade({ cookie: admin.cookie, origin: 'https://evil.example' })).toBe(403);
  });

  it('accepts an upgrade from its own Origin with the session cookie', async () => {
    const admin = await t.signIn(ADMIN.email, ADMIN.password);
    expect(await upgrade({ cookie: admin.cookie, origin: t.url })).toBe('open');
  });

  it('serves queries and mutations over the socket with the session', async () => {
    const admin = await t.signIn(ADMIN.email, ADMIN.password);
    const ws = admin.ws();
    expect(await ws.auth.me.query()).toMatchObject({ email: ADMIN.email, role: 'admin' });
    const created = await ws.clients.create.mutate({ name: 'Socket Client' });
    expect(await admin.api.clients.get.query({ id: created.id })).toMatchObject({ name: 'Socket Client' });
  });

  it('refuses an upgrade after sign-out', async () => {
    const session = await t.signIn(ADMIN.email, ADMIN.password);
    await session.api.auth.logout.mutate();
    expect(await upgrade({ cookie: session.cookie })).toBe(401);
  });
});

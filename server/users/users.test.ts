import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../auth/entity';
import { eventually, subscribeEvents } from '../live/testing';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';

let t: TestApp;
let admin: SignedIn;
let adminId: number;

beforeAll(async () => {
  // A short idle session check, so open live subscriptions notice an ended session within a test.
  t = await startTestApp({ realtime: { sessionCheckMs: 300 } });
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  adminId = (await admin.api.auth.me.query())?.id ?? 0;
});

afterAll(async () => {
  await t?.close();
});

/** The token of a set-password link path (/set-password?token=…). */
function tokenOf(path: string | null | undefined): string {
  const token = new URLSearchParams(path?.split('?')[1]).get('token');
  if (!token) throw new Error(`No token in ${path}`);
  return token;
}

describe('listing and creating staff', () => {
  it('lists the users, without password hashes', async () => {
    const users = await admin.api.users.list.query();
    expect(users).toContainEqual(
      expect.objectContaining({
        id: adminId,
        email: ADMIN.email,
        name: 'Administrator',
        role: 'admin',
        active: true,
        passwordSet: true,
      }),
    );
    expect(JSON.stringify(users)).not.toMatch(/passwordHash|scrypt/);
  });

  it('creates a user with a password the admin sets; they sign in with that role', async () => {
    const created = await admin.api.users.create.mutate({
      email: 'Nina.Agent@Example.com',
      name: '  Nina Agent ',
      role: 'agent',
      password: 'nina-password-1',
    });
    expect(created).toMatchObject({
      id: expect.any(Number),
      email: 'nina.agent@example.com',
      name: 'Nina Agent',
      role: 'agent',
      active: true,
      passwordSet: true,
      clientId: null,
      link: null,
    });
    expect(await admin.api.users.list.query()).toContainEqual(expect.objectContaining({ id: created.id }));
    const nina = await t.signIn('nina.agent@example.com', 'nina-password-1');
    expect(await nina.api.auth.me.query()).toMatchObject({ id: created.id, role: 'agent' });
  });

  it('invites a user without a password: a one-time link to hand over, and no sign-in until it is used', async () => {
    const invited = await admin.api.users.create.mutate({ email: 'ola@example.com', name: 'Ola', role: 'viewer' });
    expect(invited).toMatchObject({ passwordSet: false, link: { mailedTo: null, path: expect.any(String) } });
    expect(invited.link?.expiresAt.getTime()).toBeGreaterThan(Date.now());
    // No password yet: nothing signs in, not even an empty or a guessed one.
    expect((await failure(t.signIn('ola@example.com', 'x'))).code).toBe('UNAUTHORIZED');

    const token = tokenOf(invited.link?.path);
    expect(await t.anonymous().auth.passwordLink.query({ token })).toMatchObject({
      email: 'ola@example.com',
      name: 'Ola',
      purpose: 'invite',
    });
    await t.anonymous().auth.setPassword.mutate({ token, password: 'ola-picked-this-one' });
    const ola = await t.signIn('ola@example.com', 'ola-picked-this-one');
    expect(await ola.api.auth.me.query()).toMatchObject({ id: invited.id, role: 'viewer' });
    expect((await admin.api.users.list.query()).find((user) => user.id === invited.id)?.passwordSet).toBe(true);
  });

  it('refuses a duplicate e-mail (in any case) with fieldErrors.email', async () => {
    const before = (await admin.api.users.list.query()).length;
    const error = await failure(
      admin.api.users.create.mutate({
        email: ADMIN.email.toUpperCase(),
        name: 'Twin',
        role: 'viewer',
        password: 'long-enough-1',
      }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors?.email?.[0]).toMatch(/already exists/);
    expect((await admin.api.users.list.query()).length).toBe(before);
  });

  it('refuses bad input per field, a portal role, and weak passwords, and creates nobody', async () => {
    const before = (await admin.api.users.list.query()).length;
    const error = await failure(
      admin.api.users.create.mutate({ email: 'not-an-email', name: '', role: 'viewer', password: 'long-enough-1' }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual(['email', 'name']);
    const portal = await failure(
      admin.api.users.create.mutate({
        email: 'portal@example.com',
        name: 'Portal',
        role: 'client' as 'viewer',
        password: 'long-enough-1',
      }),
    );
    expect(portal.fieldErrors?.role?.[0]).toBe('Role must be one of: admin, manager, agent, viewer.');
    const short = await failure(
      admin.api.users.create.mutate({ email: 'weak@example.com', name: 'Weak', role: 'agent', password: 'short' }),
    );
    expect(short.fieldErrors).toEqual({ password: ['Password must be at least 12 characters.'] });
    const common = await failure(
      admin.api.users.create.mutate({
        email: 'weak@example.com',
        name: 'Weak',
        role: 'agent',
        password: 'Password1234',
      }),
    );
    expect(common.fieldErrors?.password?.[0]).toMatch(/most common passwords/);
    expect((await admin.api.users.list.query()).length).toBe(before);
  });
});

describe('roles and deactivation', () => {
  it('changes a role: the next request, over HTTP or an open WebSocket, has the new rights, without signing out', async () => {
    const user = await admin.api.users.create.mutate({
      email: 'role.change@example.com',
      name: 'Role Change',
      role: 'viewer',
      password: 'role-password-1',
    });
    const session = await t.signIn('role.change@example.com', 'role-password-1');
    const socket = session.ws();
    expect(await socket.auth.me.query()).toMatchObject({ role: 'viewer' });
    expect((await failure(session.api.clients.create.mutate({ name: 'Viewer Try' }))).code).toBe('FORBIDDEN');
    expect((await failure(socket.clients.create.mutate({ name: 'Viewer Try' }))).code).toBe('FORBIDDEN');

    const updated = await admin.api.users.update.mutate({ id: user.id, role: 'manager' });
    expect(updated).toMatchObject({ id: user.id, role: 'manager', active: true });
    expect(await session.api.auth.me.query()).toMatchObject({ role: 'manager' });
    await session.api.clients.create.mutate({ name: 'Manager Now' });
    expect(await socket.auth.me.query()).toMatchObject({ role: 'manager' });
    await socket.clients.create.mutate({ name: 'Manager Over The Socket' });

    // And back down: the rights go as fast as they came.
    await admin.api.users.update.mutate({ id: user.id, role: 'viewer' });
    expect((await failure(session.api.clients.create.mutate({ name: 'Viewer Again' }))).code).toBe('FORBIDDEN');
    expect((await failure(socket.clients.create.mutate({ name: 'Viewer Again' }))).code).toBe('FORBIDDEN');
    expect((await admin.api.clients.list.query({ search: 'viewer again' })).total).toBe(0);
  });

  it('deactivates a user: sessions end, the open subscription ends before the next event, the socket closes', async () => {
    const user = await admin.api.users.create.mutate({
      email: 'leaver@example.com',
      name: 'Leaver',
      role: 'manager',
      password: 'leaver-password-1',
    });
    const session = await t.signIn('leaver@example.com', 'leaver-password-1');
    const socket = session.ws();
    expect(await socket.auth.me.query()).toMatchObject({ id: user.id });
    const received = subscribeEvents(session.ws());
    await eventually(() => received.heads().length > 0, 'the live stream to start');
    await eventually(() => t.app.sessionSockets.count(user.id) === 2, 'both sockets to be tracked');

    expect(await admin.api.users.update.mutate({ id: user.id, active: false })).toMatchObject({ active: false });
    expect(await t.em().count(Session, { userId: user.id })).toBe(0);
    expect(await session.api.auth.me.query()).toBeNull();
    expect((await failure(session.api.clients.list.query({}))).code).toBe('UNAUTHORIZED');
    expect((await failure(socket.clients.create.mutate({ name: 'Ghost Write' }))).code).toBe('UNAUTHORIZED');
    await admin.api.clients.create.mutate({ name: 'After The Leaver Left' });

    await eventually(() => received.error !== null, 'the end of the subscription');
    expect(received.error).toMatchObject({ code: 'UNAUTHORIZED', message: 'Your session has ended; sign in again.' });
    expect(received.events()).toEqual([]);
    await eventually(() => t.app.sessionSockets.count(user.id) === 0, 'the server to close both sockets');

    const refused = await failure(t.signIn('leaver@example.com', 'leaver-password-1'));
    expect(refused.code).toBe('UNAUTHORIZED');
    expect(refused.message).toBe('E-mail or password is wrong.');

    await admin.api.users.update.mutate({ id: user.id, active: true });
    const back = await t.signIn('leaver@example.com', 'leaver-password-1');
    expect(await back.api.auth.me.query()).toMatchObject({ id: user.id, role: 'manager' });
  });

  it('leaves portal accounts to the client’s Login allowed', async () => {
    const client = await admin.api.clients.create.mutate({ name: 'Portal Owner', loginAllowed: true });
    const portal = await t.as('client', { clientId: client.id });
    const portalId = (await portal.api.auth.me.query())?.id ?? 0;
    for (const change of [{ role: 'admin' as const }, { active: false }]) {
      const error = await failure(admin.api.users.update.mutate({ id: portalId, ...change }));
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toMatch(/portal account: turn it on or off with Login allowed/);
    }
    expect(await portal.api.auth.me.query()).toMatchObject({ role: 'client' });
  });

  it('never leaves the system without an active administrator', async () => {
    // The only administrator may not demote or deactivate themself.
    const demote = await failure(admin.api.users.update.mutate({ id: adminId, role: 'manager' }));
    expect(demote.code).toBe('CONFLICT');
    const deactivate = await failure(admin.api.users.update.mutate({ id: adminId, active: false }));
    expect(deactivate.code).toBe('CONFLICT');
    expect(await admin.api.users.list.query()).toContainEqual(
      expect.objectContaining({ id: adminId, role: 'admin', active: true }),
    );

    // With a second administrator, one may demote the other, but then not themself.
    const second = await admin.api.users.create.mutate({
      email: 'second.admin@example.com',
      name: 'Second Admin',
      role: 'admin',
      password: 'second-password-1',
    });
    const secondSession = await t.signIn('second.admin@example.com', 'second-password-1');
    await secondSession.api.users.update.mutate({ id: adminId, role: 'manager' });
    expect((await failure(admin.api.users.list.query())).code).toBe('FORBIDDEN');
    expect((await failure(secondSession.api.users.update.mutate({ id: second.id, role: 'viewer' }))).code).toBe(
      'CONFLICT',
    );

    // Put things back for the other tests: the second admin restores the first.
    await secondSession.api.users.update.mutate({ id: adminId, role: 'admin' });
    expect(await admin.api.auth.me.query()).toMatchObject({ role: 'admin' });
  });

  it('answers NOT_FOUND for a user that does not exist', async () => {
    expect((await failure(admin.api.users.update.mutate({ id: 999_999, active: true }))).code).toBe('NOT_FOUND');
    expect((await failure(admin.api.users.resetPassword.mutate({ id: 999_999 }))).code).toBe('NOT_FOUND');
  });
});

describe('password reset', () => {
  it('gives a new one-time link; the old password works until the link is used, then every session ends', async () => {
    const user = await admin.api.users.create.mutate({
      email: 'forgetful@example.com',
      name: 'Forgetful',
      role: 'agent',
      password: 'forgetful-password-1',
    });
    const session = await t.signIn('forgetful@example.com', 'forgetful-password-1');
    const first = await admin.api.users.resetPassword.mutate({ id: user.id });
    const second = await admin.api.users.resetPassword.mutate({ id: user.id });
    expect(second.path).not.toBe(first.path);
    // Only the newest link works.
    const replaced = await failure(t.anonymous().auth.passwordLink.query({ token: tokenOf(first.path) }));
    expect(replaced.fieldErrors?.token?.[0]).toMatch(/^This link is not valid any more/);
    expect(await session.api.auth.me.query()).toMatchObject({ id: user.id });

    await t.anonymous().auth.setPassword.mutate({ token: tokenOf(second.path), password: 'remembered-at-last' });
    expect(await session.api.auth.me.query()).toBeNull();
    expect((await failure(t.signIn('forgetful@example.com', 'forgetful-password-1'))).code).toBe('UNAUTHORIZED');
    await t.signIn('forgetful@example.com', 'remembered-at-last');
  });

  it('refuses a reset for a deactivated account', async () => {
    const user = await admin.api.users.create.mutate({
      email: 'gone@example.com',
      name: 'Gone',
      role: 'agent',
      password: 'gone-password-12',
    });
    await admin.api.users.update.mutate({ id: user.id, active: false });
    expect((await failure(admin.api.users.resetPassword.mutate({ id: user.id }))).code).toBe('CONFLICT');
  });
});

describe('access', () => {
  it('is for administrators only', async () => {
    const manager = await t.as('manager');
    expect((await failure(manager.api.users.list.query())).code).toBe('FORBIDDEN');
    expect(
      (
        await failure(
          manager.api.users.create.mutate({
            email: 'x@example.com',
            name: 'X',
            role: 'admin',
            password: 'long-enough-1',
          }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect((await failure(manager.api.users.update.mutate({ id: adminId, role: 'viewer' }))).code).toBe('FORBIDDEN');
    expect((await failure(manager.api.users.resetPassword.mutate({ id: adminId }))).code).toBe('FORBIDDEN');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../auth/entity';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';

let t: TestApp;
let admin: SignedIn;
let adminId: number;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  adminId = (await admin.api.auth.me.query())?.id ?? 0;
});

afterAll(async () => {
  await t?.close();
});

describe('users', () => {
  it('lists the users, without password hashes', async () => {
    const users = await admin.api.users.list.query();
    expect(users).toContainEqual(
      expect.objectContaining({ id: adminId, email: ADMIN.email, name: 'Administrator', role: 'admin', active: true }),
    );
    expect(JSON.stringify(users)).not.toMatch(/passwordHash|scrypt/);
  });

  it('creates a user who can then sign in with that role', async () => {
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
      clientId: null,
    });
    expect(await admin.api.users.list.query()).toContainEqual(expect.objectContaining({ id: created.id }));
    const nina = await t.signIn('nina.agent@example.com', 'nina-password-1');
    expect(await nina.api.auth.me.query()).toMatchObject({ id: created.id, role: 'agent' });
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

  it('refuses bad input per field', async () => {
    const error = await failure(
      admin.api.users.create.mutate({ email: 'not-an-email', name: '', role: 'viewer', password: 'short' }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual(['email', 'name', 'password']);
    const portal = await failure(
      admin.api.users.create.mutate({
        email: 'portal@example.com',
        name: 'Portal',
        role: 'client' as 'viewer',
        password: 'long-enough-1',
      }),
    );
    expect(portal.fieldErrors?.role).toBeDefined();
  });

  it('changes a role; that ends the user’s sessions, over HTTP and WebSocket', async () => {
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

    const updated = await admin.api.users.update.mutate({ id: user.id, role: 'manager' });
    expect(updated).toMatchObject({ id: user.id, role: 'manager', active: true });
    expect(await t.em().count(Session, { userId: user.id })).toBe(0);
    expect(await session.api.auth.me.query()).toBeNull();
    expect((await failure(session.api.clients.list.query({}))).code).toBe('UNAUTHORIZED');
    // An open socket carried the old session: it must not keep the old rights either.
    expect(await socket.auth.me.query()).toBeNull();
    expect((await failure(socket.clients.list.query({}))).code).toBe('UNAUTHORIZED');

    const again = await t.signIn('role.change@example.com', 'role-password-1');
    expect(await again.api.auth.me.query()).toMatchObject({ role: 'manager' });
    await again.api.clients.create.mutate({ name: 'Manager Now' });
  });

  it('leaves the sessions alone when the role does not change', async () => {
    const user = await admin.api.users.create.mutate({
      email: 'same.role@example.com',
      name: 'Same Role',
      role: 'agent',
      password: 'same-password-1',
    });
    const session = await t.signIn('same.role@example.com', 'same-password-1');
    await admin.api.users.update.mutate({ id: user.id, role: 'agent', active: true });
    expect(await session.api.auth.me.query()).toMatchObject({ id: user.id });
  });

  it('deactivates a user: sessions end and sign-in is refused; reactivating lets them back in', async () => {
    const user = await admin.api.users.create.mutate({
      email: 'leaver@example.com',
      name: 'Leaver',
      role: 'manager',
      password: 'leaver-password-1',
    });
    const session = await t.signIn('leaver@example.com', 'leaver-password-1');
    const socket = session.ws();
    expect(await socket.auth.me.query()).toMatchObject({ id: user.id });

    expect(await admin.api.users.update.mutate({ id: user.id, active: false })).toMatchObject({ active: false });
    expect(await session.api.auth.me.query()).toBeNull();
    expect((await failure(session.api.clients.list.query({}))).code).toBe('UNAUTHORIZED');
    expect(await socket.auth.me.query()).toBeNull();
    expect((await failure(socket.clients.create.mutate({ name: 'Ghost Write' }))).code).toBe('UNAUTHORIZED');
    const refused = await failure(t.signIn('leaver@example.com', 'leaver-password-1'));
    expect(refused.code).toBe('UNAUTHORIZED');
    expect(refused.message).toBe('E-mail or password is wrong.');

    await admin.api.users.update.mutate({ id: user.id, active: true });
    const back = await t.signIn('leaver@example.com', 'leaver-password-1');
    expect(await back.api.auth.me.query()).toMatchObject({ id: user.id, role: 'manager' });
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
    const self = await t.signIn('second.admin@example.com', 'second-password-1');
    expect((await failure(self.api.users.update.mutate({ id: second.id, role: 'viewer' }))).code).toBe('CONFLICT');

    // Put things back for the other tests: the second admin restores the first.
    await self.api.users.update.mutate({ id: adminId, role: 'admin' });
    admin = await t.signIn(ADMIN.email, ADMIN.password);
    expect(await admin.api.auth.me.query()).toMatchObject({ role: 'admin' });
  });

  it('answers NOT_FOUND for a user that does not exist', async () => {
    expect((await failure(admin.api.users.update.mutate({ id: 999_999, active: true }))).code).toBe('NOT_FOUND');
  });

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
  });
});

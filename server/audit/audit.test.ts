import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';

let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await t?.close();
});

describe('the audit log', () => {
  it('records an account’s life: created, signed in, failed, role changed, deactivated, reset, password set', async () => {
    const created = await admin.api.users.create.mutate({
      email: 'audited@example.com',
      name: 'Audited Person',
      role: 'viewer',
      password: 'audited-password-1',
    });
    const session = await t.signIn('audited@example.com', 'audited-password-1');
    await failure(t.signIn('audited@example.com', 'not-the-password'));
    await admin.api.users.update.mutate({ id: created.id, role: 'agent' });
    await admin.api.users.update.mutate({ id: created.id, active: false });
    await admin.api.users.update.mutate({ id: created.id, active: true });
    const link = await admin.api.users.resetPassword.mutate({ id: created.id });
    const token = new URLSearchParams(link.path?.split('?')[1]).get('token') ?? '';
    await t.anonymous().auth.setPassword.mutate({ token, password: 'audited-password-2' });
    const again = await t.signIn('audited@example.com', 'audited-password-2');
    await again.api.auth.logoutEverywhere.mutate();
    expect(await session.api.auth.me.query()).toBeNull();

    const { entries } = await admin.api.audit.list.query({ userId: created.id });
    expect(entries.map((entry) => entry.type).reverse()).toEqual([
      'userCreated',
      'signIn',
      'signInFailed',
      'roleChanged',
      'userDeactivated',
      'userReactivated',
      'passwordLinkIssued',
      'passwordSet',
      'signIn',
      'signOutEverywhere',
    ]);
    const byType = Object.fromEntries(entries.map((entry) => [entry.type, entry]));
    expect(byType.roleChanged).toMatchObject({
      actorName: 'Administrator',
      email: 'audited@example.com',
      changes: { role: { before: 'viewer', after: 'agent' } },
      address: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(byType.signInFailed).toMatchObject({ actorName: null, email: 'audited@example.com' });
    expect(byType.passwordSet).toMatchObject({ actorName: 'Audited Person' });
    expect(byType.userDeactivated?.changes).toEqual({ active: { before: true, after: false } });
    // The log never holds a password or a token.
    const text = JSON.stringify(entries);
    for (const secret of ['audited-password-1', 'audited-password-2', 'not-the-password', token]) {
      expect(text).not.toContain(secret);
    }
  });

  it('records failed sign-ins for e-mails nobody has, with the e-mail typed', async () => {
    await failure(t.signIn('ghost@example.com', 'whatever-it-is-1'));
    const { entries } = await admin.api.audit.list.query({ type: 'signInFailed' });
    expect(entries[0]).toMatchObject({ email: 'ghost@example.com', userId: null, type: 'signInFailed' });
  });

  it('pages newest first, and filters by type', async () => {
    for (let i = 0; i < 3; i++) await t.signIn(ADMIN.email, ADMIN.password);
    const first = await admin.api.audit.list.query({ type: 'signIn', limit: 2 });
    expect(first.entries).toHaveLength(2);
    expect(first.entries.every((entry) => entry.type === 'signIn')).toBe(true);
    expect(first.entries[0]?.id).toBeGreaterThan(first.entries[1]?.id ?? Number.POSITIVE_INFINITY);
    const second = await admin.api.audit.list.query({ type: 'signIn', limit: 2, cursor: first.nextCursor ?? 0 });
    expect(second.entries[0]?.id).toBeLessThan(first.entries[1]?.id ?? 0);
    const all = await admin.api.audit.list.query({ type: 'signIn', limit: 100 });
    expect(all.nextCursor).toBeNull();
    expect(all.entries.map((entry) => entry.id)).toEqual(
      expect.arrayContaining([...first.entries, ...second.entries].map((entry) => entry.id)),
    );
  });

  it('explains bad paging input', async () => {
    const error = await failure(admin.api.audit.list.query({ limit: 0 }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors?.limit).toBeDefined();
    const type = await failure(admin.api.audit.list.query({ type: 'everything' as 'signIn' }));
    expect(type.fieldErrors?.type).toBeDefined();
  });

  it('is for administrators only', async () => {
    const manager = await t.as('manager');
    expect((await failure(manager.api.audit.list.query({}))).code).toBe('FORBIDDEN');
  });
});

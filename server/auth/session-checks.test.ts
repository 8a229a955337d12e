import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { countStatements } from '../test/statements';
import { sessionChecksOf } from './session-checks';
import { hashToken } from './session-sockets';
import { readSessionStateVersion } from './session-state';

const IDLE_MS = 2_000;

let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await startTestApp({ config: { sessions: { idleMs: IDLE_MS, absoluteMs: 60_000 } } });
  admin = await t.signIn(ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await t?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hashOf = (signedIn: SignedIn) => hashToken(signedIn.cookie.split('=')[1] ?? '');
const checks = () => sessionChecksOf(t.app.orm);
const version = () => readSessionStateVersion(t.app.orm.em.getConnection());
/** SQL as another instance, or someone at the database's prompt, would run it: past every service of this app. */
const sql = (statement: string, params: unknown[]) => t.em().getConnection().execute(statement, params);

/** Counts the reads of sessions and of session_state's version made while `work` runs. */
async function reads<T>(work: () => Promise<T>): Promise<{ result: T; sessions: number; versions: number }> {
  const patterns = { sessions: /from session s join app_user/, versions: /^select version from session_state/ };
  const { result, counts } = await countStatements(t.app.orm, patterns, work);
  return { result, ...counts };
}

describe('session checks between changes', () => {
  it('answers sessions read before with one shared read of the version, not another read of each session', async () => {
    const sessions = [await t.as('viewer'), await t.as('agent'), await t.as('manager')];
    const first = await reads(() => Promise.all(sessions.map((session) => checks().user(hashOf(session)))));
    expect(first.result.map((user) => user?.email)).toEqual(sessions.map((session) => session.email));
    expect(first.sessions).toBe(1);

    // A save's wake-up: every subscription checks at once.
    const again = await reads(() => Promise.all(sessions.map((session) => checks().user(hashOf(session)))));
    expect(again.result).toEqual(first.result);
    expect(again).toMatchObject({ sessions: 0, versions: 1 });
  });

  it('reads a session again after any change that can end it or change its user, whoever made the change', async () => {
    const cases: { change: (session: SignedIn, userId: number) => Promise<unknown>; after: unknown }[] = [
      {
        change: (session) => sql('delete from session where token_hash = ?', [hashOf(session)]),
        after: null,
      },
      {
        change: (session) => sql('update session set expires_at = created_at where token_hash = ?', [hashOf(session)]),
        after: null,
      },
      { change: (_, userId) => sql('update app_user set active = ? where id = ?', [false, userId]), after: null },
      {
        change: (_, userId) => sql('update app_user set role = ? where id = ?', ['manager', userId]),
        after: expect.objectContaining({ role: 'manager' }),
      },
      {
        change: (_, userId) => sql('update app_user set name = ? where id = ?', ['Renamed Person', userId]),
        after: expect.objectContaining({ name: 'Renamed Person' }),
      },
      {
        change: (_, userId) =>
          sql('update app_user set email = ? where id = ?', [`moved${userId}@example.com`, userId]),
        after: expect.objectContaining({ email: expect.stringMatching(/^moved\d+@example.com$/) }),
      },
      { change: (_, userId) => sql('delete from app_user where id = ?', [userId]), after: null },
    ];
    for (const { change, after } of cases) {
      const session = await t.as('viewer');
      const before = await checks().user(hashOf(session));
      expect(before).toMatchObject({ role: 'viewer' });
      const versionBefore = await version();
      await change(session, before?.id ?? 0);
      expect(await version()).toBeGreaterThan(versionBefore ?? 0);
      expect(await checks().user(hashOf(session))).toEqual(after);
    }
  });

  it('ends a portal session once its client stops allowing sign-in or is deleted, changed by anyone', async () => {
    for (const change of [
      (clientId: number) => sql('update client set login_allowed = ? where id = ?', [false, clientId]),
      (clientId: number) => sql('update client set deleted_at = created_at where id = ?', [clientId]),
    ]) {
      const client = await admin.api.clients.create.mutate({ name: 'Portal Checked', loginAllowed: true });
      const portal = await t.as('client', { clientId: client.id });
      expect(await checks().user(hashOf(portal))).toMatchObject({ role: 'client', clientId: client.id });
      await change(client.id);
      expect(await checks().user(hashOf(portal))).toBeNull();
    }
  });

  it('leaves the version alone when a session is only used, or a client’s other fields change', async () => {
    const session = await t.as('viewer');
    const client = await admin.api.clients.create.mutate({ name: 'Unrelated Save' });
    const before = await version();
    await sql('update session set last_seen_at = created_at where token_hash = ?', [hashOf(session)]);
    await admin.api.clients.update.mutate({ id: client.id, changes: { city: { base: null, value: 'Gdańsk' } } });
    expect(await version()).toBe(before);
  });

  it('still ends a session by its idle limit, and records its use while checks are answered from memory', async () => {
    const idle = await t.as('viewer');
    expect(await checks().user(hashOf(idle))).not.toBeNull();
    await sleep(IDLE_MS + 200);
    expect(await checks().user(hashOf(idle))).toBeNull();

    // Checked every 100 ms for one and a half idle limits: its use is recorded, so it never idles out.
    const busy = await t.as('viewer');
    const started = Date.now();
    while (Date.now() - started < IDLE_MS * 1.5) {
      expect(await checks().user(hashOf(busy))).not.toBeNull();
      await sleep(100);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/enums';
import { upload } from '../files/test-uploads';
import { eventually, subscribeEvents } from '../live/testing';
import { ADMIN, type ApiClient, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';

let t: TestApp;
let admin: SignedIn;
let agent: SignedIn;
let staffEmails: string[];
let counter = 0;

beforeAll(async () => {
  // A short idle session check: open live subscriptions notice an ended session within a test.
  t = await startTestApp({ realtime: { sessionCheckMs: 300 } });
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  agent = await t.as('agent');
  const viewer = await t.as('viewer');
  staffEmails = [ADMIN.email, agent.email, viewer.email];
});

afterAll(async () => {
  await t?.close();
});

function tokenOf(path: string | null | undefined): string {
  const token = new URLSearchParams(path?.split('?')[1]).get('token');
  if (!token) throw new Error(`No token in ${path}`);
  return token;
}

/** A client with an e-mail whose administrator turns "Login allowed" on; the client sets its password and signs in. */
async function portalClient(name: string, extra: Record<string, unknown> = {}) {
  const email = `client${++counter}@client.test`;
  const client = await admin.api.clients.create.mutate({ name, email, ...extra });
  const granted = await admin.api.clients.update.mutate({
    id: client.id,
    changes: { loginAllowed: { base: false, value: true } },
  });
  const password = `portal-password-${counter}`;
  await t.anonymous().auth.setPassword.mutate({ token: tokenOf(granted.portalLink?.path), password });
  const portal = await t.signIn(email, password);
  const user = await portal.api.auth.me.query();
  if (!user) throw new Error('not signed in');
  return { clientId: client.id, email, password, portal, userId: user.id, granted };
}

describe('turning "Login allowed" on', () => {
  it('creates the portal account and a one-time link to hand over; the client sets its password and signs in', async () => {
    const client = await admin.api.clients.create.mutate({ name: 'Ewa Portal', email: 'ewa@client.test' });
    const granted = await admin.api.clients.update.mutate({
      id: client.id,
      changes: { loginAllowed: { base: false, value: true } },
    });
    expect(granted.client.loginAllowed).toBe(true);
    expect(granted.portalLink).toMatchObject({
      mailedTo: null,
      path: expect.stringMatching(/^\/set-password\?token=/),
    });
    const status = await admin.api.portal.status.query({ clientId: client.id });
    expect(status).toMatchObject({
      loginAllowed: true,
      clientEmail: 'ewa@client.test',
      account: { email: 'ewa@client.test', passwordSet: false, linkExpiresAt: expect.any(Date) },
    });
    // Not before the password is set.
    expect((await failure(t.signIn('ewa@client.test', 'x'))).code).toBe('UNAUTHORIZED');

    const token = tokenOf(granted.portalLink?.path);
    expect(await t.anonymous().auth.passwordLink.query({ token })).toMatchObject({
      email: 'ewa@client.test',
      name: 'Ewa Portal',
      purpose: 'portal',
    });
    await t.anonymous().auth.setPassword.mutate({ token, password: 'ewa-sets-her-own' });
    const ewa = await t.signIn('ewa@client.test', 'ewa-sets-her-own');
    expect(await ewa.api.auth.me.query()).toMatchObject({ role: 'client', clientId: client.id, name: 'Ewa Portal' });
    expect(await admin.api.portal.status.query({ clientId: client.id })).toMatchObject({
      account: { passwordSet: true, linkExpiresAt: null },
    });

    // Off and on again: the account is still there with its password, so there is no new link.
    await admin.api.clients.update.mutate({ id: client.id, changes: { loginAllowed: { base: true, value: false } } });
    const again = await admin.api.clients.update.mutate({
      id: client.id,
      changes: { loginAllowed: { base: false, value: true } },
    });
    expect(again.portalLink).toBeUndefined();
    await t.signIn('ewa@client.test', 'ewa-sets-her-own');

    const audit = await admin.api.audit.list.query({});
    const types = audit.entries.filter((entry) => entry.clientId === client.id).map((entry) => entry.type);
    expect(types).toEqual(
      expect.arrayContaining(['portalAccessGranted', 'portalAccessRevoked', 'passwordSet', 'signIn']),
    );
  });

  it('makes no account for a client without an e-mail, until it has one and the admin asks for a link', async () => {
    const client = await admin.api.clients.create.mutate({ name: 'No Mail Yet', loginAllowed: true });
    expect(await admin.api.portal.status.query({ clientId: client.id })).toMatchObject({
      loginAllowed: true,
      clientEmail: null,
      account: null,
    });
    const refused = await failure(admin.api.portal.newLink.mutate({ clientId: client.id }));
    expect(refused.fieldErrors?.email?.[0]).toBe('The client needs an e-mail to sign in with.');

    await admin.api.clients.update.mutate({
      id: client.id,
      changes: { email: { base: null, value: 'late@client.test' } },
    });
    const link = await admin.api.portal.newLink.mutate({ clientId: client.id });
    await t.anonymous().auth.setPassword.mutate({ token: tokenOf(link.path), password: 'late-but-here-now' });
    expect(await (await t.signIn('late@client.test', 'late-but-here-now')).api.auth.me.query()).toMatchObject({
      clientId: client.id,
    });
  });

  it('refuses an e-mail that already signs in to another account, and leaves the flag off', async () => {
    const client = await admin.api.clients.create.mutate({ name: 'Borrowed Mail', email: agent.email });
    const error = await failure(
      admin.api.clients.update.mutate({ id: client.id, changes: { loginAllowed: { base: false, value: true } } }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors?.loginAllowed?.[0]).toMatch(/already signs in to another account/);
    expect((await admin.api.clients.get.query({ id: client.id })).loginAllowed).toBe(false);
    expect((await admin.api.portal.status.query({ clientId: client.id })).account).toBeNull();
  });

  it('refuses a new link while access is off', async () => {
    const client = await admin.api.clients.create.mutate({ name: 'Closed Door', email: 'closed@client.test' });
    expect((await failure(admin.api.portal.newLink.mutate({ clientId: client.id }))).code).toBe('CONFLICT');
  });
});

describe('the portal user', () => {
  let own: Awaited<ReturnType<typeof portalClient>>;
  let otherId: number;

  beforeAll(async () => {
    own = await portalClient('Portal Piotr', { country: 'PL', language: 'pl' });
    otherId = (await agent.api.clients.create.mutate({ name: 'Someone Else', email: 'else@client.test' })).id;
    await agent.api.notes.add.mutate({ clientId: own.clientId, body: 'Internal remark', visibility: 'private' });
    await agent.api.notes.add.mutate({ clientId: own.clientId, body: 'Your invoice is ready', visibility: 'public' });
    await agent.api.notes.add.mutate({ clientId: otherId, body: 'About someone else', visibility: 'public' });
    const file = { bytes: Buffer.from('Invoice 1'), name: 'invoice.txt', type: 'text/plain' };
    await upload(t.url, agent.cookie, { clientId: own.clientId, kind: 'document', file });
    await agent.api.projects.add.mutate({ clientId: own.clientId, name: 'Internal project' });
  });

  it('sees only its own card, its public notes and its documents', async () => {
    const api = own.portal.api;
    expect(await api.clients.get.query({ id: own.clientId })).toMatchObject({ name: 'Portal Piotr' });
    expect((await api.clients.list.query({})).items.map((item) => item.id)).toEqual([own.clientId]);
    expect((await api.notes.list.query({ clientId: own.clientId })).map((note) => note.body)).toEqual([
      'Your invoice is ready',
    ]);
    expect((await api.files.list.query({ clientId: own.clientId })).map((file) => file.fileName)).toEqual([
      'invoice.txt',
    ]);
    for (const call of [
      api.clients.get.query({ id: otherId }),
      api.notes.list.query({ clientId: otherId }),
      api.files.list.query({ clientId: otherId }),
      api.activity.history.query({ clientId: otherId }),
    ]) {
      expect((await failure(call)).code).toBe('NOT_FOUND');
    }
  });

  it('gets none of the lists and screens it does not need', async () => {
    const api = own.portal.api;
    for (const call of [
      api.lookups.categories.query(),
      api.lookups.contractTypes.query(),
      api.projects.list.query({ clientId: own.clientId }),
      api.activity.feed.query({}),
      api.users.list.query(),
      api.portal.status.query({ clientId: own.clientId }),
      api.audit.list.query({}),
      api.mail.outbox.query({}),
      api.views.list.query(),
    ]) {
      expect((await failure(call)).code).toBe('FORBIDDEN');
    }
  });

  it('edits its contact, address and e-invoicing fields; the staff see the change with its name', async () => {
    const before = await own.portal.api.clients.get.query({ id: own.clientId });
    const saved = await own.portal.api.clients.update.mutate({
      id: own.clientId,
      changes: {
        city: { base: before.city, value: 'Gdynia' },
        mobile: { base: before.mobile, value: '+48 601 234 567' },
        electronicAddressScheme: { base: before.electronicAddressScheme, value: '0088' },
        electronicAddress: { base: before.electronicAddress, value: '5790000435951' },
      },
    });
    expect(saved.conflicts).toEqual([]);
    expect(saved.client).toMatchObject({
      city: 'Gdynia',
      mobile: '+48601234567',
      electronicAddressScheme: '0088',
      electronicAddress: '5790000435951',
    });
    expect(await agent.api.clients.get.query({ id: own.clientId })).toMatchObject({ city: 'Gdynia' });
    const history = await agent.api.activity.history.query({ clientId: own.clientId });
    expect(history.entries[0]).toMatchObject({ actorName: 'Portal Piotr' });
  });

  it('is refused every other field by name, and nothing of that save is stored', async () => {
    const before = await own.portal.api.clients.get.query({ id: own.clientId });
    const error = await failure(
      own.portal.api.clients.update.mutate({
        id: own.clientId,
        changes: {
          city: { base: before.city, value: 'Sneaky City' },
          name: { base: before.name, value: 'Renamed Myself' },
          email: { base: before.email, value: 'new@client.test' },
          status: { base: before.status, value: 'inactive' },
          taxNumber: { base: before.taxNumber, value: '5260250274' },
          loginAllowed: { base: true, value: false },
          emailNotifications: { base: true, value: false },
        },
      }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual([
      'email',
      'emailNotifications',
      'loginAllowed',
      'name',
      'status',
      'taxNumber',
    ]);
    expect(error.fieldErrors?.name?.[0]).toBe('Full name cannot be changed here; ask us to change it for you.');
    expect(await agent.api.clients.get.query({ id: own.clientId })).toMatchObject({
      city: before.city,
      name: 'Portal Piotr',
      status: before.status,
    });
    // Bad values in the fields it may edit get the usual field errors.
    const bad = await failure(
      own.portal.api.clients.update.mutate({
        id: own.clientId,
        changes: { electronicAddress: { base: before.electronicAddress, value: '123' } },
      }),
    );
    expect(bad.fieldErrors?.electronicAddress?.[0]).toMatch(/scheme 0088/);
  });

  it('never receives a staff member’s e-mail address, over HTTP or the live stream', async () => {
    await agent.api.clients.update.mutate({
      id: own.clientId,
      changes: { state: { base: null, value: 'pomorskie' } },
    });
    await agent.api.presence.set.mutate({ clientId: own.clientId, tabId: 'staff-tab', field: 'city' });
    const api = own.portal.api;
    const answers: unknown[] = [
      await api.auth.me.query(),
      await api.clients.get.query({ id: own.clientId }),
      await api.clients.list.query({}),
      await api.notes.list.query({ clientId: own.clientId }),
      await api.files.list.query({ clientId: own.clientId }),
      await api.activity.history.query({ clientId: own.clientId }),
    ];
    const stream = subscribeEvents(own.portal.ws(), { lastEventId: '0' });
    await eventually(() => stream.heads().length > 0, 'the replay of the whole log');
    answers.push(stream.messages);
    stream.stop();
    const text = JSON.stringify(answers);
    // The answers do name the staff who wrote and changed things, by name only.
    expect(text).toContain('Your invoice is ready');
    expect(text).toMatch(/agent \d+/);
    for (const email of staffEmails) expect(text).not.toContain(email);
  });
});

describe('the live stream of a portal user', () => {
  it('carries only what its own card shows: nothing of other clients, private notes or projects', async () => {
    const own = await portalClient('Live Portal');
    const otherB = (await agent.api.clients.create.mutate({ name: 'Client B' })).id;
    const otherC = (await agent.api.clients.create.mutate({ name: 'Client C' })).id;
    const stream = subscribeEvents(own.portal.ws());
    await eventually(() => stream.heads().length > 0, 'the head marker');

    for (let i = 0; i < 5; i++) {
      for (const id of [otherB, otherC]) {
        await agent.api.clients.update.mutate({
          id,
          changes: { city: { base: i ? `City ${i - 1}` : null, value: `City ${i}` } },
        });
        await agent.api.notes.add.mutate({ clientId: id, body: `Note ${i} for ${id}`, visibility: 'public' });
      }
      await agent.api.notes.add.mutate({ clientId: own.clientId, body: `Secret ${i}`, visibility: 'private' });
    }
    await agent.api.projects.add.mutate({ clientId: own.clientId, name: 'Hidden plan' });
    await agent.api.notes.add.mutate({ clientId: own.clientId, body: 'Hello from us', visibility: 'public' });
    await agent.api.clients.setStatus.mutate({ ids: [own.clientId], status: 'inactive' });

    await eventually(() => stream.events().some((event) => event.type === 'client.status'), 'the status change');
    const events = stream.events();
    expect(events.map((event) => [event.type, event.clientId])).toEqual([
      ['note.added', own.clientId],
      ['client.status', own.clientId],
    ]);
    expect(JSON.stringify(events)).not.toMatch(/Secret|Hidden plan|Client B|Client C|City/);
    stream.stop();
  });
});

describe('turning "Login allowed" off', () => {
  it('ends the portal sessions at once: HTTP, WebSocket calls, the live stream, then the sockets', async () => {
    const own = await portalClient('Leaving Portal');
    const socket = own.portal.ws();
    expect(await socket.auth.me.query()).toMatchObject({ clientId: own.clientId });
    const stream = subscribeEvents(own.portal.ws());
    await eventually(() => stream.heads().length > 0, 'the head marker');
    const spare = await admin.api.portal.newLink.mutate({ clientId: own.clientId });

    await admin.api.clients.update.mutate({
      id: own.clientId,
      changes: { loginAllowed: { base: true, value: false } },
    });
    expect(await own.portal.api.auth.me.query()).toBeNull();
    expect((await failure(socket.clients.get.query({ id: own.clientId }))).code).toBe('UNAUTHORIZED');
    await agent.api.notes.add.mutate({ clientId: own.clientId, body: 'After the door closed', visibility: 'public' });
    await eventually(() => stream.error !== null, 'the end of the stream');
    expect(stream.error?.code).toBe('UNAUTHORIZED');
    expect(stream.events()).toEqual([]);
    await eventually(() => t.app.sessionSockets.count(own.userId) === 0, 'the sockets to close');

    expect((await failure(t.signIn(own.email, own.password))).code).toBe('UNAUTHORIZED');
    const link = await failure(
      t.anonymous().auth.setPassword.mutate({ token: tokenOf(spare.path), password: 'no-way-in-now' }),
    );
    expect(link.fieldErrors?.token).toBeDefined();
  });

  it('is for administrators only, as is turning it on', async () => {
    const client = await admin.api.clients.create.mutate({ name: 'Agent Try', email: 'agenttry@client.test' });
    const roles: Role[] = ['manager', 'agent'];
    for (const role of roles) {
      const user = await t.as(role);
      const api: ApiClient = user.api;
      const error = await failure(
        api.clients.update.mutate({ id: client.id, changes: { loginAllowed: { base: false, value: true } } }),
      );
      expect(error.code).toBe('FORBIDDEN');
    }
    expect((await admin.api.portal.status.query({ clientId: client.id })).account).toBeNull();
  });
});

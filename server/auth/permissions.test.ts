import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ROLES, type Role } from '../../shared/enums';
import { PERMISSIONS, type Permission } from '../../shared/permissions';
import { appRouter } from '../app-router';
import { upload } from '../files/test-uploads';
import { ADMIN, type ApiClient, type SignedIn, startTestApp, type TestApp } from '../test/harness';

/**
 * Every procedure of the app router against every role. Each procedure names who may call it: a permission
 * of shared/permissions.ts (or several, any of which will do), 'signedIn' (anyone signed in) or 'public' (anyone,
 * signed in or not). A procedure added to the router without a line here fails the first test.
 */
type Who = Permission | Permission[] | 'signedIn' | 'public';
type Caller = Role | 'signedOut';

let t: TestApp;
let admin: SignedIn;
const sessions = new Map<Caller, SignedIn | null>();
let portalClientId = 0;
let counter = 0;

const unique = (prefix: string) => `${prefix} ${++counter}`;

/** Fresh targets made by the administrator, so every cell starts from the same state. */
const newClient = async () => (await admin.api.clients.create.mutate({ name: unique('Matrix Client') })).id;
const newCategory = async () => (await admin.api.lookups.createCategory.mutate({ name: unique('Matrix Category') })).id;
const newSubcategory = async () =>
  (await admin.api.lookups.createSubcategory.mutate({ categoryId: await newCategory(), name: 'Sub' })).id;
const newContractType = async () =>
  (await admin.api.lookups.createContractType.mutate({ name: unique('Matrix Type') })).id;
const newProject = async () =>
  (await admin.api.projects.add.mutate({ clientId: await newClient(), name: 'Project' })).id;
const newContract = async () =>
  (
    await admin.api.contracts.add.mutate({
      clientId: await newClient(),
      typeId: await newContractType(),
      subject: 'Contract',
    })
  ).id;
/** The portal client's own card, or a fresh one for everyone else. */
const cardOf = async (caller: Caller) => (caller === 'client' ? portalClientId : await newClient());
/** A note written by the caller when it may write notes (changing a note is for its author), else by the admin. */
const newNote = async (caller: Caller) => {
  const author = (expectedOutcome('notes.write', caller) === 'allowed' && sessions.get(caller)) || admin;
  return (await author.api.notes.add.mutate({ clientId: await cardOf(caller), body: 'Note', visibility: 'public' })).id;
};

/** A document uploaded (over HTTP) by the caller when it may add files (deleting is for the uploader), else by the admin. */
const newDocument = async (caller: Caller) => {
  const uploader = (expectedOutcome('clients.write', caller) === 'allowed' && sessions.get(caller)) || admin;
  const file = { bytes: Buffer.from('Matrix document'), name: 'matrix.txt', type: 'text/plain' };
  const answer = await upload(t.url, uploader.cookie, { clientId: await cardOf(caller), kind: 'document', file });
  if (!answer.body.id) throw new Error(`Upload failed: ${JSON.stringify(answer.body)}`);
  return answer.body.id;
};

/** A client that may sign in, with an e-mail: turning that on made its portal account. */
const newPortalClient = async () =>
  (
    await admin.api.clients.create.mutate({
      name: unique('Matrix Portal'),
      email: `portal${++counter}@example.com`,
      loginAllowed: true,
    })
  ).id;

/** A working set-password link's token: a staff member invited without a password. */
const newLinkToken = async () => {
  const invited = await admin.api.users.create.mutate({
    email: `invited${++counter}@example.com`,
    name: 'Invited',
    role: 'viewer',
  });
  return new URLSearchParams(invited.link?.path?.split('?')[1]).get('token') ?? '';
};

/** A saved view of the caller's own when it may keep views (changing one is for its owner), else the admin's. */
const newView = async (caller: Caller) => {
  const owner = (expectedOutcome('views.use', caller) === 'allowed' && sessions.get(caller)) || admin;
  return (await owner.api.views.save.mutate({ name: unique('Matrix View'), input: {}, columns: [] })).id;
};

interface Expectation {
  who: Who;
  input: (caller: Caller) => Promise<unknown>;
}

const EXPECTED: Record<string, Expectation> = {
  'auth.login': { who: 'public', input: async () => ADMIN },
  'auth.logout': { who: 'public', input: async () => undefined },
  'auth.me': { who: 'public', input: async () => undefined },
  'auth.logoutEverywhere': { who: 'signedIn', input: async () => undefined },
  'auth.passwordLink': { who: 'public', input: async () => ({ token: await newLinkToken() }) },
  'auth.setPassword': {
    who: 'public',
    input: async () => ({ token: await newLinkToken(), password: 'a matrix password' }),
  },

  'clients.list': { who: 'clients.read', input: async () => ({}) },
  'clients.breakdown': { who: 'activity.feed', input: async () => undefined },
  'clients.get': {
    who: 'clients.read',
    input: async (caller) => ({ id: caller === 'client' ? portalClientId : await newClient() }),
  },
  'clients.findDuplicates': { who: 'clients.write', input: async () => ({ name: 'Anyone' }) },
  'clients.create': { who: 'clients.write', input: async () => ({ name: unique('Created') }) },
  'clients.update': {
    who: ['clients.write', 'clients.writeOwn'],
    input: async (caller) => ({
      id: caller === 'client' ? portalClientId : await newClient(),
      changes: { city: { base: null, value: unique('City') } },
    }),
  },
  'clients.setStatus': {
    who: 'clients.setStatus',
    input: async () => ({ ids: [await newClient()], status: 'inactive' }),
  },
  'clients.assignCategory': {
    who: 'clients.write',
    input: async () => ({ ids: [await newClient()], categoryId: await newCategory() }),
  },
  'clients.matchingIds': { who: 'clients.bulk', input: async () => ({ status: 'inactive' }) },
  'clients.delete': { who: 'clients.delete', input: async () => ({ ids: [await newClient()] }) },
  'clients.restore': {
    who: 'clients.delete',
    input: async () => {
      const id = await newClient();
      await admin.api.clients.delete.mutate({ ids: [id] });
      return { ids: [id] };
    },
  },

  'lookups.categories': { who: 'lookups.read', input: async () => undefined },
  'lookups.createCategory': { who: 'lookups.write', input: async () => ({ name: unique('New Category') }) },
  'lookups.renameCategory': {
    who: 'lookups.write',
    input: async () => ({ id: await newCategory(), name: unique('Renamed Category') }),
  },
  'lookups.deleteCategory': { who: 'lookups.write', input: async () => ({ id: await newCategory() }) },
  'lookups.subcategories': { who: 'lookups.read', input: async () => ({}) },
  'lookups.createSubcategory': {
    who: 'lookups.write',
    input: async () => ({ categoryId: await newCategory(), name: 'New Sub' }),
  },
  'lookups.renameSubcategory': {
    who: 'lookups.write',
    input: async () => ({ id: await newSubcategory(), name: 'Renamed Sub' }),
  },
  'lookups.deleteSubcategory': { who: 'lookups.write', input: async () => ({ id: await newSubcategory() }) },
  'lookups.contractTypes': { who: 'lookups.read', input: async () => undefined },
  'lookups.createContractType': { who: 'lookups.write', input: async () => ({ name: unique('New Type') }) },
  'lookups.renameContractType': {
    who: 'lookups.write',
    input: async () => ({ id: await newContractType(), name: unique('Renamed Type') }),
  },
  'lookups.deleteContractType': { who: 'lookups.write', input: async () => ({ id: await newContractType() }) },
  'lookups.countries': { who: 'lookups.read', input: async () => undefined },
  'lookups.languages': { who: 'lookups.read', input: async () => undefined },
  'lookups.easSchemes': { who: 'lookups.read', input: async () => undefined },

  'activity.history': { who: 'clients.read', input: async (caller) => ({ clientId: await cardOf(caller) }) },
  'activity.feed': { who: 'activity.feed', input: async () => ({}) },
  'activity.statusChangesPerDay': { who: 'activity.feed', input: async () => ({ timeZone: 'Europe/Warsaw' }) },
  'activity.clientActivityPerDay': {
    who: 'clients.read',
    input: async (caller) => ({ clientId: await cardOf(caller), timeZone: 'UTC' }),
  },

  'notes.list': { who: 'clients.read', input: async (caller) => ({ clientId: await cardOf(caller) }) },
  'notes.add': {
    who: 'notes.write',
    input: async (caller) => ({ clientId: await cardOf(caller), body: 'New note', visibility: 'public' }),
  },
  'notes.update': { who: 'notes.write', input: async (caller) => ({ id: await newNote(caller), body: 'Edited' }) },
  'notes.delete': { who: 'notes.write', input: async (caller) => ({ id: await newNote(caller) }) },

  'files.list': { who: 'clients.read', input: async (caller) => ({ clientId: await cardOf(caller) }) },
  'files.delete': { who: 'clients.write', input: async (caller) => ({ id: await newDocument(caller) }) },

  'projects.list': { who: 'projects.read', input: async () => ({ clientId: await newClient() }) },
  'projects.add': { who: 'clients.write', input: async () => ({ clientId: await newClient(), name: 'New Project' }) },
  'projects.rename': { who: 'clients.write', input: async () => ({ id: await newProject(), name: 'Renamed' }) },
  'projects.delete': { who: 'clients.write', input: async () => ({ id: await newProject() }) },
  'contracts.list': { who: 'projects.read', input: async () => ({ clientId: await newClient() }) },
  'contracts.add': {
    who: 'clients.write',
    input: async () => ({ clientId: await newClient(), typeId: await newContractType(), subject: 'New Contract' }),
  },
  'contracts.update': { who: 'clients.write', input: async () => ({ id: await newContract(), subject: 'Changed' }) },
  'contracts.delete': { who: 'clients.write', input: async () => ({ id: await newContract() }) },

  'users.list': { who: 'users.manage', input: async () => undefined },
  'users.create': {
    who: 'users.manage',
    input: async () => ({
      email: `matrix${++counter}@example.com`,
      name: 'Matrix User',
      role: 'viewer',
      password: 'a-long-password',
    }),
  },
  'users.update': {
    who: 'users.manage',
    input: async () => {
      const user = await admin.api.users.create.mutate({
        email: `target${++counter}@example.com`,
        name: 'Target',
        role: 'agent',
        password: 'a-long-password',
      });
      return { id: user.id, active: false };
    },
  },
  'users.resetPassword': {
    who: 'users.manage',
    input: async () => {
      const user = await admin.api.users.create.mutate({
        email: `reset${++counter}@example.com`,
        name: 'Reset',
        role: 'agent',
        password: 'a-long-password',
      });
      return { id: user.id };
    },
  },

  'portal.status': { who: 'clients.portalAccess', input: async () => ({ clientId: await newPortalClient() }) },
  'portal.newLink': { who: 'clients.portalAccess', input: async () => ({ clientId: await newPortalClient() }) },
  'audit.list': { who: 'audit.read', input: async () => ({}) },
  'mail.outbox': { who: 'mail.read', input: async () => ({}) },

  'views.list': { who: 'views.use', input: async () => undefined },
  'views.save': { who: 'views.use', input: async () => ({ name: unique('Saved'), input: { status: 'active' } }) },
  'views.rename': {
    who: 'views.use',
    input: async (caller) => ({ id: await newView(caller), name: unique('Renamed') }),
  },
  'views.delete': { who: 'views.use', input: async (caller) => ({ id: await newView(caller) }) },

  'live.events': { who: 'clients.read', input: async () => ({}) },
  'presence.watch': {
    who: 'clients.read',
    input: async (caller) => ({ clientId: await cardOf(caller), tabId: 'matrix' }),
  },
  'presence.set': {
    who: 'clients.read',
    input: async (caller) => ({ clientId: await cardOf(caller), tabId: 'matrix', field: 'city' }),
  },
  'presence.leave': { who: 'clients.read', input: async () => ({ tabId: 'matrix' }) },
};

const CALLERS: Caller[] = [...ROLES, 'signedOut'];
const procedures = appRouter._def.procedures as unknown as Record<
  string,
  { _def: { type: 'query' | 'mutation' | 'subscription' } }
>;

function expectedOutcome(who: Who, caller: Caller): 'allowed' | 'UNAUTHORIZED' | 'FORBIDDEN' {
  if (who === 'public') return 'allowed';
  if (caller === 'signedOut') return 'UNAUTHORIZED';
  if (who === 'signedIn') return 'allowed';
  const permissions = Array.isArray(who) ? who : [who];
  return permissions.some((permission) => (PERMISSIONS[permission] as readonly Role[]).includes(caller))
    ? 'allowed'
    : 'FORBIDDEN';
}

/** The client to call with: the caller's shared session, or, for procedures that end sessions, a fresh one. */
async function clientFor(path: string, caller: Caller): Promise<ApiClient> {
  const session = sessions.get(caller);
  if (!session) return t.anonymous();
  if (procedures[path]?._def.type === 'subscription') return session.ws();
  if (path === 'auth.login' || path === 'auth.logout') return (await t.signIn(session.email, session.password)).api;
  // Signing out everywhere would end the shared sessions too: a user of the same role of its own.
  if (path === 'auth.logoutEverywhere') {
    return (await t.as(caller as Role, caller === 'client' ? { clientId: portalClientId } : {})).api;
  }
  return session.api;
}

async function call(api: ApiClient, path: string, input: unknown): Promise<unknown> {
  const [namespace, name] = path.split('.') as [string, string];
  const procedure = (api as unknown as Record<string, Record<string, Record<string, (input: unknown) => unknown>>>)[
    namespace
  ]?.[name];
  const type = procedures[path]?._def.type;
  if (!procedure || !type) throw new Error(`No procedure ${path}`);
  if (type === 'subscription') return firstValue(procedure as unknown as Subscribable, input);
  return type === 'query' ? procedure.query?.(input) : procedure.mutate?.(input);
}

type Subscribable = {
  subscribe(
    input: unknown,
    handlers: { onData(value: unknown): void; onError(error: unknown): void },
  ): {
    unsubscribe(): void;
  };
};

/** A subscription's first value (it was allowed), or its error. */
function firstValue(procedure: Subscribable, input: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const subscription = procedure.subscribe(input, {
      onData: (value) => {
        subscription.unsubscribe();
        resolve(value);
      },
      onError: reject,
    });
  });
}

/** The status a WebSocket upgrade without a session gets. */
function anonymousUpgradeStatus(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${t.url.replace('http', 'ws')}/trpc`);
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('open', () => {
      socket.terminate();
      reject(new Error('A WebSocket without a session was let in'));
    });
  });
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  portalClientId = (await admin.api.clients.create.mutate({ name: 'Portal Client', loginAllowed: true })).id;
  for (const role of ROLES) {
    sessions.set(role, role === 'client' ? await t.as('client', { clientId: portalClientId }) : await t.as(role));
  }
  sessions.set('signedOut', null);
});

afterAll(async () => {
  await t?.close();
});

describe('permission matrix', () => {
  it('has an expectation for every procedure of the app router, and none for a procedure that is gone', () => {
    expect(Object.keys(procedures).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const path of Object.keys(procedures).sort()) {
    const expectation = EXPECTED[path];
    if (!expectation) continue;
    for (const caller of CALLERS) {
      const outcome = expectedOutcome(expectation.who, caller);
      it(`${path} as ${caller}: ${outcome}`, async () => {
        if (caller === 'signedOut' && procedures[path]?._def.type === 'subscription') {
          // Subscriptions run over the WebSocket, which refuses anyone without a session at the upgrade.
          expect(await anonymousUpgradeStatus()).toBe(401);
          return;
        }
        const input = await expectation.input(caller);
        const api = await clientFor(path, caller);
        try {
          await call(api, path, input);
          expect(outcome).toBe('allowed');
        } catch (error) {
          if (!(error instanceof TRPCClientError)) throw error;
          const code = (error.data as { code?: string } | undefined)?.code;
          if (outcome === 'allowed') expect(['UNAUTHORIZED', 'FORBIDDEN'], error.message).not.toContain(code);
          else expect(code, error.message).toBe(outcome);
        }
      });
    }
  }
});

describe('permission table', () => {
  it('names only real roles, and gives administrators everything but what only a portal client does', () => {
    const portalOnly = ['clients.writeOwn'];
    for (const [permission, roles] of Object.entries(PERMISSIONS)) {
      for (const role of roles) expect(ROLES, permission).toContain(role);
      if (portalOnly.includes(permission)) expect(roles, permission).toEqual(['client']);
      else expect(roles, permission).toContain('admin');
    }
  });

  it('is used: every permission guards at least one procedure', () => {
    const used = new Set(Object.values(EXPECTED).flatMap((expectation) => expectation.who));
    // Checked by the services, where the note, the change or the selection is known; clients.bulk also guards
    // the CSV import route (tested in server/clients/csv.test.ts).
    const notGuards = ['notes.readPrivate', 'notes.moderate', 'files.moderate', 'clients.bulk', 'views.moderate'];
    for (const permission of Object.keys(PERMISSIONS)) {
      if (notGuards.includes(permission)) continue;
      expect(used, permission).toContain(permission);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent } from '../activity/entity';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';

let t: TestApp;
let admin: SignedIn;
let manager: SignedIn;
let agent: SignedIn;
let viewer: SignedIn;
let support: number;
let lease: number;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  manager = await t.as('manager');
  agent = await t.as('agent');
  viewer = await t.as('viewer');
  support = (await admin.api.lookups.createContractType.mutate({ name: 'Support' })).id;
  lease = (await admin.api.lookups.createContractType.mutate({ name: 'Lease' })).id;
});

afterAll(async () => {
  await t?.close();
});

let counter = 0;
const newClient = async (name = 'Project Client') =>
  await agent.api.clients.create.mutate({ name: `${name} ${++counter}` });

async function events(clientId: number, prefix: 'project' | 'contract') {
  const rows = await t
    .em()
    .find(ClientEvent, { clientId, type: { $like: `${prefix}.%` } }, { orderBy: { seq: 'asc' } });
  return rows.map((event) => ({ type: event.type, changes: event.changes }));
}

describe('projects', () => {
  it('are added, listed by name, renamed and removed by staff who edit clients', async () => {
    const client = await newClient();
    const build = await agent.api.projects.add.mutate({ clientId: client.id, name: '  Build ' });
    expect(build).toEqual({
      id: expect.any(Number),
      clientId: client.id,
      clientName: client.name,
      name: 'Build',
      createdAt: expect.any(Date),
    });
    const audit = await manager.api.projects.add.mutate({ clientId: client.id, name: 'Audit' });
    expect(await viewer.api.projects.list.query({ clientId: client.id })).toEqual([audit, build]);

    expect(await agent.api.projects.rename.mutate({ id: build.id, name: 'Rebuild' })).toEqual({
      ...build,
      name: 'Rebuild',
    });
    expect(await admin.api.projects.delete.mutate({ id: audit.id })).toEqual({ id: audit.id });
    expect(await viewer.api.projects.list.query({ clientId: client.id })).toEqual([{ ...build, name: 'Rebuild' }]);
  });

  it('list every listed client’s projects with the client’s name when no client is given', async () => {
    const first = await newClient('First');
    const second = await newClient('Second');
    const gone = await newClient('Gone');
    const a = await agent.api.projects.add.mutate({ clientId: first.id, name: 'Shared name' });
    const b = await agent.api.projects.add.mutate({ clientId: second.id, name: 'Shared name' });
    const hidden = await agent.api.projects.add.mutate({ clientId: gone.id, name: 'Of a deleted client' });
    await manager.api.clients.delete.mutate({ ids: [gone.id] });

    const all = await viewer.api.projects.list.query();
    expect(all).toEqual(expect.arrayContaining([a, b]));
    expect(all.find((project) => project.id === a.id)?.clientName).toBe(first.name);
    expect(all.map((project) => project.id)).not.toContain(hidden.id);
    // A deleted client's own card still shows its projects to staff.
    expect(await viewer.api.projects.list.query({ clientId: gone.id })).toEqual([hidden]);
  });

  it('are what the list’s project filter matches', async () => {
    const owner = await newClient('Filter Owner');
    await newClient('Filter Bystander');
    const project = await agent.api.projects.add.mutate({ clientId: owner.id, name: 'Warehouse' });
    const found = await viewer.api.clients.list.query({ projectId: project.id });
    expect(found.items.map((item) => item.id)).toEqual([owner.id]);
    expect(found.total).toBe(1);

    await agent.api.projects.delete.mutate({ id: project.id });
    expect((await viewer.api.clients.list.query({ projectId: project.id })).total).toBe(0);
  });

  it('refuse an empty or too long name with fieldErrors.name, and unknown clients or projects', async () => {
    const client = await newClient();
    const empty = await failure(agent.api.projects.add.mutate({ clientId: client.id, name: ' \n ' }));
    expect(empty.code).toBe('BAD_REQUEST');
    expect(empty.fieldErrors?.name).toEqual(['Project name is required.']);
    const long = await failure(agent.api.projects.add.mutate({ clientId: client.id, name: 'x'.repeat(201) }));
    expect(long.fieldErrors?.name).toEqual(['Project name can be at most 200 characters.']);
    expect(await viewer.api.projects.list.query({ clientId: client.id })).toEqual([]);

    const project = await agent.api.projects.add.mutate({ clientId: client.id, name: 'Kept' });
    const rename = await failure(agent.api.projects.rename.mutate({ id: project.id, name: '' }));
    expect(rename.fieldErrors?.name).toEqual(['Project name is required.']);
    expect((await viewer.api.projects.list.query({ clientId: client.id }))[0]?.name).toBe('Kept');

    expect((await failure(agent.api.projects.add.mutate({ clientId: 999_999, name: 'X' }))).code).toBe('NOT_FOUND');
    expect((await failure(agent.api.projects.rename.mutate({ id: 999_999, name: 'X' }))).code).toBe('NOT_FOUND');
    expect((await failure(agent.api.projects.delete.mutate({ id: 999_999 }))).code).toBe('NOT_FOUND');
    expect((await failure(viewer.api.projects.list.query({ clientId: 999_999 }))).code).toBe('NOT_FOUND');
  });

  it('record project.added, project.renamed and project.deleted with the project’s id and name', async () => {
    const client = await newClient();
    const project = await agent.api.projects.add.mutate({ clientId: client.id, name: 'Alpha' });
    await agent.api.projects.rename.mutate({ id: project.id, name: 'Alpha' }); // no change, no event
    await agent.api.projects.rename.mutate({ id: project.id, name: 'Beta' });
    await agent.api.projects.delete.mutate({ id: project.id });
    expect(await events(client.id, 'project')).toEqual([
      {
        type: 'project.added',
        changes: { id: { before: null, after: project.id }, name: { before: null, after: 'Alpha' } },
      },
      {
        type: 'project.renamed',
        changes: { id: { before: null, after: project.id }, name: { before: 'Alpha', after: 'Beta' } },
      },
      {
        type: 'project.deleted',
        changes: { id: { before: project.id, after: null }, name: { before: 'Beta', after: null } },
      },
    ]);
  });
});

describe('contracts', () => {
  it('are added with a contract type, listed by subject, changed and removed', async () => {
    const client = await newClient();
    const maintenance = await agent.api.contracts.add.mutate({
      clientId: client.id,
      typeId: support,
      subject: ' Maintenance ',
    });
    expect(maintenance).toEqual({
      id: expect.any(Number),
      clientId: client.id,
      typeId: support,
      typeName: 'Support',
      subject: 'Maintenance',
      createdAt: expect.any(Date),
    });
    const office = await manager.api.contracts.add.mutate({ clientId: client.id, typeId: lease, subject: 'Office' });
    expect(await viewer.api.contracts.list.query({ clientId: client.id })).toEqual([maintenance, office]);

    const changed = await agent.api.contracts.update.mutate({
      id: office.id,
      typeId: support,
      subject: 'Office space',
    });
    expect(changed).toEqual({ ...office, typeId: support, typeName: 'Support', subject: 'Office space' });
    expect(await agent.api.contracts.update.mutate({ id: office.id, subject: 'Offices' })).toMatchObject({
      typeId: support,
      subject: 'Offices',
    });
    await agent.api.contracts.delete.mutate({ id: maintenance.id });
    expect((await viewer.api.contracts.list.query({ clientId: client.id })).map((row) => row.subject)).toEqual([
      'Offices',
    ]);
  });

  it('are what the list’s contract-type filter matches', async () => {
    const type = (await admin.api.lookups.createContractType.mutate({ name: 'Filter type' })).id;
    const holder = await newClient('Contract Holder');
    await newClient('No Contract');
    const contract = await agent.api.contracts.add.mutate({ clientId: holder.id, typeId: type, subject: 'Framework' });
    const found = await viewer.api.clients.list.query({ contractTypeId: type });
    expect(found.items.map((item) => item.id)).toEqual([holder.id]);

    // Changing the contract's type moves the client to the other type's filter.
    await agent.api.contracts.update.mutate({ id: contract.id, typeId: lease });
    expect((await viewer.api.clients.list.query({ contractTypeId: type })).total).toBe(0);
    expect((await viewer.api.clients.list.query({ contractTypeId: lease })).items.map((item) => item.id)).toContain(
      holder.id,
    );
  });

  it('refuse an unknown contract type and an empty subject with field errors', async () => {
    const client = await newClient();
    const unknown = await failure(
      agent.api.contracts.add.mutate({ clientId: client.id, typeId: 999_999, subject: 'X' }),
    );
    expect(unknown.code).toBe('BAD_REQUEST');
    expect(unknown.fieldErrors?.typeId).toEqual([
      'Contract type: there is no such entry (id 999999). It may have been deleted; pick another.',
    ]);
    const empty = await failure(agent.api.contracts.add.mutate({ clientId: client.id, typeId: support, subject: '' }));
    expect(empty.fieldErrors?.subject).toEqual(['Subject is required.']);
    const noType = await failure(agent.api.contracts.add.mutate({ clientId: client.id, typeId: 0, subject: 'X' }));
    expect(noType.fieldErrors?.typeId).toEqual(['Contract type is required.']);
    expect(await viewer.api.contracts.list.query({ clientId: client.id })).toEqual([]);

    const contract = await agent.api.contracts.add.mutate({ clientId: client.id, typeId: support, subject: 'Kept' });
    const update = await failure(agent.api.contracts.update.mutate({ id: contract.id, typeId: 999_999 }));
    expect(update.fieldErrors?.typeId).toBeDefined();
    expect((await failure(agent.api.contracts.update.mutate({ id: 999_999, subject: 'X' }))).code).toBe('NOT_FOUND');
    expect(await viewer.api.contracts.list.query({ clientId: client.id })).toEqual([contract]);
    expect((await events(client.id, 'contract')).map((event) => event.type)).toEqual(['contract.added']);
  });

  it('record contract.added, contract.updated (changed fields) and contract.deleted with the contract’s id', async () => {
    const client = await newClient();
    const contract = await agent.api.contracts.add.mutate({ clientId: client.id, typeId: support, subject: 'One' });
    await agent.api.contracts.update.mutate({ id: contract.id, subject: 'One' }); // no change, no event
    await agent.api.contracts.update.mutate({ id: contract.id, typeId: lease });
    await agent.api.contracts.delete.mutate({ id: contract.id });
    expect(await events(client.id, 'contract')).toEqual([
      {
        type: 'contract.added',
        changes: {
          id: { before: null, after: contract.id },
          typeId: { before: null, after: support },
          subject: { before: null, after: 'One' },
        },
      },
      {
        type: 'contract.updated',
        changes: { id: { before: null, after: contract.id }, typeId: { before: support, after: lease } },
      },
      {
        type: 'contract.deleted',
        changes: {
          id: { before: contract.id, after: null },
          typeId: { before: lease, after: null },
          subject: { before: 'One', after: null },
        },
      },
    ]);
  });
});

describe('who may', () => {
  it('lets a viewer read but not change projects or contracts', async () => {
    const client = await newClient();
    const project = await agent.api.projects.add.mutate({ clientId: client.id, name: 'Read only' });
    const contract = await agent.api.contracts.add.mutate({
      clientId: client.id,
      typeId: support,
      subject: 'Read only',
    });
    expect(await viewer.api.projects.list.query({ clientId: client.id })).toEqual([project]);
    expect(await viewer.api.contracts.list.query({ clientId: client.id })).toEqual([contract]);
    // Thunks, so each call starts only when the previous one has been refused.
    const refused = [
      () => viewer.api.projects.add.mutate({ clientId: client.id, name: 'X' }),
      () => viewer.api.projects.rename.mutate({ id: project.id, name: 'X' }),
      () => viewer.api.projects.delete.mutate({ id: project.id }),
      () => viewer.api.contracts.add.mutate({ clientId: client.id, typeId: support, subject: 'X' }),
      () => viewer.api.contracts.update.mutate({ id: contract.id, subject: 'X' }),
      () => viewer.api.contracts.delete.mutate({ id: contract.id }),
    ];
    for (const call of refused) expect((await failure(call())).code).toBe('FORBIDDEN');
    expect(await viewer.api.projects.list.query({ clientId: client.id })).toEqual([project]);
    expect(await viewer.api.contracts.list.query({ clientId: client.id })).toEqual([contract]);
  });

  it('shows the portal client neither its own projects and contracts nor anyone else’s', async () => {
    const own = await admin.api.clients.create.mutate({ name: 'Portal Projects', loginAllowed: true });
    await agent.api.projects.add.mutate({ clientId: own.id, name: 'Internal' });
    const portal = await t.as('client', { clientId: own.id });
    expect((await failure(portal.api.projects.list.query({ clientId: own.id }))).code).toBe('FORBIDDEN');
    expect((await failure(portal.api.projects.list.query())).code).toBe('FORBIDDEN');
    expect((await failure(portal.api.contracts.list.query({ clientId: own.id }))).code).toBe('FORBIDDEN');
    expect((await failure(portal.api.projects.add.mutate({ clientId: own.id, name: 'X' }))).code).toBe('FORBIDDEN');
  });

  it('refuses changes on a deleted client until it is restored', async () => {
    const client = await newClient('Deleted Owner');
    const project = await agent.api.projects.add.mutate({ clientId: client.id, name: 'Paused' });
    const contract = await agent.api.contracts.add.mutate({ clientId: client.id, typeId: support, subject: 'Paused' });
    await manager.api.clients.delete.mutate({ ids: [client.id] });
    const refused = [
      () => agent.api.projects.add.mutate({ clientId: client.id, name: 'X' }),
      () => agent.api.projects.rename.mutate({ id: project.id, name: 'X' }),
      () => agent.api.projects.delete.mutate({ id: project.id }),
      () => agent.api.contracts.add.mutate({ clientId: client.id, typeId: support, subject: 'X' }),
      () => agent.api.contracts.update.mutate({ id: contract.id, subject: 'X' }),
      () => agent.api.contracts.delete.mutate({ id: contract.id }),
    ];
    for (const call of refused) {
      const error = await failure(call());
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toMatch(/was deleted; restore it before changing its projects or contracts/);
    }
    await manager.api.clients.restore.mutate({ ids: [client.id] });
    expect(await agent.api.projects.rename.mutate({ id: project.id, name: 'Resumed' })).toMatchObject({
      name: 'Resumed',
    });
  });
});

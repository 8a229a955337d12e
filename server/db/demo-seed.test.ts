import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent } from '../activity/entity';
import { Contract, Project } from '../lookups/entity';
import { Note } from '../notes/entity';
import { ADMIN, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { buildDemoClients } from './demo-data';

/** The demo data written into a real database, through the one write path like every other change. */
let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await startTestApp({ seedDemo: true });
  admin = await t.signIn(ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await t?.close();
});

describe('seeded demo data', () => {
  it('has an event for every client, project, contract and note it wrote', async () => {
    const demos = buildDemoClients();
    const em = t.em();
    const count = (type: string) => em.count(ClientEvent, { type });
    expect(await count('client.created')).toBe(demos.length);
    const projects = demos.reduce((sum, demo) => sum + demo.projects.length, 0);
    const contracts = demos.reduce((sum, demo) => sum + demo.contracts.length, 0);
    const notes = demos.reduce((sum, demo) => sum + demo.notes.length, 0);
    expect([await em.count(Project, {}), await count('project.added')]).toEqual([projects, projects]);
    expect([await em.count(Contract, {}), await count('contract.added')]).toEqual([contracts, contracts]);
    expect([await em.count(Note, {}), await count('note.added')]).toEqual([notes, notes]);

    // Each event names its row.
    const [project] = await em.find(Project, {}, { orderBy: { id: 'asc' }, limit: 1 });
    if (!project) throw new Error('the demo data has projects');
    const added = await em.find(ClientEvent, { type: 'project.added', clientId: project.clientId });
    expect(added.map((event) => event.changes)).toContainEqual({
      id: { before: null, after: project.id },
      name: { before: null, after: project.name },
    });
  });

  it('gives the list’s project and contract-type filters something to find', async () => {
    const [project] = await admin.api.projects.list.query();
    const [type] = await admin.api.lookups.contractTypes.query();
    if (!project || !type) throw new Error('the demo data has projects and contract types');
    const byProject = await admin.api.clients.list.query({ projectId: project.id });
    expect(byProject.items.map((item) => item.id)).toEqual([project.clientId]);
    expect((await admin.api.clients.list.query({ contractTypeId: type.id })).total).toBeGreaterThan(0);
  });
});

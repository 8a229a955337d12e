import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent } from '../activity/entity';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { BULK_BATCH_SIZE } from './bulk';
import { runImport } from './csv-testing';
import { Client } from './entity';

/** Bulk status, category, delete and restore, by chosen ids and by "every client matching the filter". */

let t: TestApp;
let admin: SignedIn;
let manager: SignedIn;
let agent: SignedIn;
let viewer: SignedIn;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  manager = await t.as('manager');
  agent = await t.as('agent');
  viewer = await t.as('viewer');
});

afterAll(async () => {
  await t?.close();
});

/** Creates clients fast through the CSV import (itself tested in csv.test.ts); answers their ids in order. */
async function seed(prefix: string, count: number, extra = ''): Promise<number[]> {
  const lines = Array.from({ length: count }, (_, index) => `${prefix} ${String(index).padStart(5, '0')}${extra}`);
  await runImport(t.url, admin.cookie, { body: `Full name\n${lines.join('\n')}\n` });
  const found = await t.em().find(Client, { name: { $like: `${prefix} %` } }, { orderBy: { id: 'asc' } });
  expect(found).toHaveLength(count);
  return found.map((client) => client.id);
}

async function eventsAfter(seq: number) {
  return t.em().find(ClientEvent, { seq: { $gt: seq } }, { orderBy: { seq: 'asc' } });
}

async function lastSeq(): Promise<number> {
  const [last] = await t.em().find(ClientEvent, {}, { orderBy: { seq: 'desc' }, limit: 1 });
  return last?.seq ?? 0;
}

/** Counts the commits that add to the event log while `work` runs (each one wakes the bus once). */
async function commitsDuring(work: () => Promise<unknown>): Promise<number> {
  let commits = 0;
  const stop = t.app.bus.subscribe(() => commits++);
  try {
    await work();
  } finally {
    stop();
  }
  return commits;
}

describe('status', () => {
  it('changes the chosen clients, one client.status event each, skipping those already there', async () => {
    const [one, two, three] = await seed('Statid', 3);
    await agent.api.clients.setStatus.mutate({ ids: [three as number], status: 'inactive' });
    const since = await lastSeq();
    const result = await agent.api.clients.setStatus.mutate({
      ids: [one, two, three, one] as number[],
      status: 'inactive',
    });
    expect(result).toEqual({ affected: 2 });
    const events = await eventsAfter(since);
    expect(events.map((event) => [event.clientId, event.type, event.changes])).toEqual([
      [one, 'client.status', { status: { before: 'active', after: 'inactive' } }],
      [two, 'client.status', { status: { before: 'active', after: 'inactive' } }],
    ]);
  });

  it('changes every client matching the filter, in batches, one event each, and no other client', async () => {
    const count = BULK_BATCH_SIZE * 2 + 100;
    const matching = await seed('Bulkfilt', count);
    const others = await seed('Bulkother', 5);
    // A deleted client that matches the filter is not "in the list", so it is not changed.
    await manager.api.clients.delete.mutate({ ids: [matching[0] as number] });
    const since = await lastSeq();
    let result: unknown;
    const commits = await commitsDuring(async () => {
      result = await manager.api.clients.setStatus.mutate({
        filter: { search: 'bulkfilt', status: 'active', sort: 'name', page: 3, pageSize: 25 },
        status: 'inactive',
      });
    });
    expect(result).toEqual({ affected: count - 1 });
    // Three transactions (500, 500, 99 changed clients), not one long one.
    expect(commits).toBe(3);
    const events = await eventsAfter(since);
    expect(events).toHaveLength(count - 1);
    expect(new Set(events.map((event) => event.clientId))).toEqual(new Set(matching.slice(1)));
    for (const event of events) expect(event.type).toBe('client.status');
    const list = await viewer.api.clients.list.query({ search: 'bulkfilt', status: 'active' });
    expect(list.total).toBe(0);
    const untouched = await t.em().find(Client, { id: { $in: [...others, matching[0] as number] } });
    for (const client of untouched) expect(client.status).toBe('active');
    // Again: nothing left to change, no events.
    const again = await manager.api.clients.setStatus.mutate({ filter: { search: 'bulkfilt' }, status: 'inactive' });
    expect(again).toEqual({ affected: 0 });
    expect(await eventsAfter(since)).toHaveLength(count - 1);
  });

  it('lets only roles with clients.bulk act on a whole filter; choosing clients is for every editor', async () => {
    const [id] = await seed('Bulkrole', 2);
    const error = await failure(
      agent.api.clients.setStatus.mutate({ filter: { search: 'bulkrole' }, status: 'inactive' }),
    );
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/clients\.bulk/);
    expect((await viewer.api.clients.list.query({ search: 'bulkrole', status: 'active' })).total).toBe(2);
    expect(await agent.api.clients.setStatus.mutate({ ids: [id as number], status: 'inactive' })).toEqual({
      affected: 1,
    });
    expect((await failure(viewer.api.clients.setStatus.mutate({ ids: [id as number], status: 'active' }))).code).toBe(
      'FORBIDDEN',
    );
  });

  it('answers the ids matching a filter, which the list sends back in chunks: one event per client', async () => {
    const matching = await seed('Bulkchunk', 7);
    const [inactive] = await seed('Bulkchunkless', 1);
    await manager.api.clients.setStatus.mutate({ ids: [inactive as number], status: 'inactive' });
    const ids = await manager.api.clients.matchingIds.query({ search: 'bulkchunk', status: 'active', page: 3 });
    expect(ids).toEqual(matching);
    const since = await lastSeq();
    let affected = 0;
    for (let start = 0; start < ids.length; start += 3) {
      const chunk = ids.slice(start, start + 3);
      affected += (await manager.api.clients.setStatus.mutate({ ids: chunk, status: 'inactive' })).affected;
    }
    expect(affected).toBe(7);
    const events = await eventsAfter(since);
    expect(events.map((event) => event.clientId)).toEqual(matching);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['client.status']));
    // Only roles that may act on a whole filter get its ids.
    expect((await failure(agent.api.clients.matchingIds.query({ search: 'bulkchunk' }))).code).toBe('FORBIDDEN');
    expect(
      (await failure(manager.api.clients.matchingIds.query({ country: 'XX' }))).fieldErrors?.country,
    ).toBeDefined();
  });

  it('needs exactly one of ids and filter, and a valid filter', async () => {
    const [id] = await seed('Bulkinput', 1);
    const both = await failure(
      manager.api.clients.setStatus.mutate({ ids: [id as number], filter: {}, status: 'inactive' }),
    );
    expect(both.code).toBe('BAD_REQUEST');
    expect(both.fieldErrors?.ids).toBeDefined();
    const neither = await failure(manager.api.clients.setStatus.mutate({ status: 'inactive' }));
    expect(neither.fieldErrors?.ids).toBeDefined();
    const badFilter = await failure(
      manager.api.clients.setStatus.mutate({ filter: { country: 'XX' }, status: 'inactive' }),
    );
    expect(badFilter.fieldErrors?.['filter.country']).toBeDefined();
    const empty = await failure(manager.api.clients.setStatus.mutate({ ids: [], status: 'inactive' }));
    expect(empty.fieldErrors?.ids).toBeDefined();
  });
});

describe('category', () => {
  let retail = 0;
  let shops = 0;
  let online = 0;
  let services = 0;
  let legal = 0;

  beforeAll(async () => {
    retail = (await admin.api.lookups.createCategory.mutate({ name: 'Bulk Retail' })).id;
    shops = (await admin.api.lookups.createSubcategory.mutate({ categoryId: retail, name: 'Shops' })).id;
    online = (await admin.api.lookups.createSubcategory.mutate({ categoryId: retail, name: 'Online' })).id;
    services = (await admin.api.lookups.createCategory.mutate({ name: 'Bulk Services' })).id;
    legal = (await admin.api.lookups.createSubcategory.mutate({ categoryId: services, name: 'Legal' })).id;
  });

  async function categoriesOf(ids: number[]) {
    const clients = await t.em().find(Client, { id: { $in: ids } }, { orderBy: { id: 'asc' } });
    return clients.map((client) => [client.categoryId ?? null, client.subcategoryId ?? null]);
  }

  it('assigns a category and sub-category to the chosen clients, one client.updated event each', async () => {
    const ids = await seed('Catid', 3);
    const since = await lastSeq();
    expect(await agent.api.clients.assignCategory.mutate({ ids, categoryId: retail, subcategoryId: shops })).toEqual({
      affected: 3,
    });
    expect(await categoriesOf(ids)).toEqual([
      [retail, shops],
      [retail, shops],
      [retail, shops],
    ]);
    const events = await eventsAfter(since);
    expect(events.map((event) => [event.clientId, event.type, event.changes])).toEqual(
      ids.map((id) => [
        id,
        'client.updated',
        { categoryId: { before: null, after: retail }, subcategoryId: { before: null, after: shops } },
      ]),
    );
    // The same category without a sub-category keeps each client's sub-category: nothing changes.
    expect(await agent.api.clients.assignCategory.mutate({ ids, categoryId: retail })).toEqual({ affected: 0 });
    // Another category drops the sub-category of the old one.
    expect(await agent.api.clients.assignCategory.mutate({ ids: [ids[0] as number], categoryId: services })).toEqual({
      affected: 1,
    });
    expect((await categoriesOf(ids))[0]).toEqual([services, null]);
    // null clears both.
    expect(await agent.api.clients.assignCategory.mutate({ ids, categoryId: null })).toEqual({ affected: 3 });
    expect(await categoriesOf(ids)).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
  });

  it('assigns by filter', async () => {
    const ids = await seed('Catfilt', 4);
    expect(
      await manager.api.clients.assignCategory.mutate({
        filter: { search: 'catfilt' },
        categoryId: retail,
        subcategoryId: online,
      }),
    ).toEqual({ affected: 4 });
    expect((await viewer.api.clients.list.query({ subcategoryId: online, search: 'catfilt' })).total).toBe(ids.length);
  });

  it('refuses a sub-category of another category, or an unknown category, at the field, and changes nothing', async () => {
    const ids = await seed('Catbad', 2);
    const since = await lastSeq();
    const mismatch = await failure(
      agent.api.clients.assignCategory.mutate({ ids, categoryId: retail, subcategoryId: legal }),
    );
    expect(mismatch.fieldErrors?.subcategoryId?.[0]).toMatch(/Legal.*Bulk Retail/);
    const unknown = await failure(agent.api.clients.assignCategory.mutate({ ids, categoryId: 987_654 }));
    expect(unknown.fieldErrors?.categoryId).toBeDefined();
    const orphan = await failure(
      agent.api.clients.assignCategory.mutate({ ids, categoryId: null, subcategoryId: legal }),
    );
    expect(orphan.fieldErrors?.subcategoryId).toBeDefined();
    expect(await eventsAfter(since)).toHaveLength(0);
    expect((await failure(viewer.api.clients.assignCategory.mutate({ ids, categoryId: retail }))).code).toBe(
      'FORBIDDEN',
    );
  });
});

describe('delete and undo', () => {
  it('deletes every client matching a filter and answers their ids, which restore brings back (Undo)', async () => {
    const ids = await seed('Delfilt', BULK_BATCH_SIZE + 20);
    await manager.api.clients.delete.mutate({ ids: [ids[5] as number] });
    const since = await lastSeq();
    const deleted = await manager.api.clients.delete.mutate({ filter: { search: 'delfilt' } });
    expect(deleted.affected).toBe(ids.length - 1);
    expect(new Set(deleted.ids)).toEqual(new Set(ids.filter((_, index) => index !== 5)));
    expect((await viewer.api.clients.list.query({ search: 'delfilt' })).total).toBe(0);
    const deleteEvents = await eventsAfter(since);
    expect(deleteEvents).toHaveLength(ids.length - 1);
    for (const event of deleteEvents) expect(event.type).toBe('client.deleted');

    const undoFrom = await lastSeq();
    expect(await manager.api.clients.restore.mutate({ ids: deleted.ids })).toEqual({ affected: ids.length - 1 });
    // The one deleted before stays deleted: Undo restores exactly what this delete did.
    const listed = await viewer.api.clients.list.query({ search: 'delfilt', pageSize: 100 });
    expect(listed.total).toBe(ids.length - 1);
    const restoreEvents = await eventsAfter(undoFrom);
    expect(restoreEvents).toHaveLength(ids.length - 1);
    for (const event of restoreEvents) expect(event.type).toBe('client.restored');
  });

  it('is for managers and administrators; an agent may not delete', async () => {
    const ids = await seed('Delrole', 1);
    expect((await failure(agent.api.clients.delete.mutate({ ids }))).code).toBe('FORBIDDEN');
    expect((await failure(agent.api.clients.delete.mutate({ filter: { search: 'delrole' } }))).code).toBe('FORBIDDEN');
    expect((await viewer.api.clients.list.query({ search: 'delrole' })).total).toBe(1);
  });
});

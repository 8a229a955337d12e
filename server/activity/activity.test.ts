import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { ClientEvent } from './entity';

let t: TestApp;
let admin: SignedIn;
let agent: SignedIn;
let manager: SignedIn;
let viewer: SignedIn;
let portal: SignedIn;
let portalClientId: number;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  agent = await t.as('agent');
  manager = await t.as('manager');
  viewer = await t.as('viewer');
  portalClientId = (await admin.api.clients.create.mutate({ name: 'Portal Owner', loginAllowed: true })).id;
  portal = await t.as('client', { clientId: portalClientId });
});

afterAll(async () => {
  await t?.close();
});

async function edit(who: SignedIn, id: number, field: 'city' | 'companyName', value: string) {
  const current = await who.api.clients.get.query({ id });
  return who.api.clients.update.mutate({ id, changes: { [field]: { base: current[field], value } } });
}

/** Moves a client's events back in time, so a test can make a gap longer than two minutes without waiting. */
async function shiftEvents(clientId: number, fromSeq: number, minutes: number) {
  const em = t.em();
  const rows = await em.find(ClientEvent, { clientId, seq: { $lt: fromSeq } });
  for (const row of rows) row.at = new Date(row.at.getTime() - minutes * 60_000);
  await em.flush();
}

describe('a card’s history', () => {
  it('lists the creation and each change with who, when and before/after, newest first', async () => {
    const { id } = await agent.api.clients.create.mutate({ name: 'Hist One', city: 'Gdańsk' });
    await manager.api.clients.setStatus.mutate({ ids: [id], status: 'inactive' });
    const { entries, nextCursor } = await viewer.api.activity.history.query({ clientId: id });
    expect(nextCursor).toBeNull();
    expect(entries.map((entry) => entry.type)).toEqual(['client.status', 'client.created']);
    expect(entries[0]?.changes.status).toEqual({ before: 'active', after: 'inactive' });
    expect(entries[1]?.changes.city).toEqual({ before: null, after: 'Gdańsk' });
    expect(entries[1]?.actorName).toBe((await agent.api.auth.me.query())?.name);
    expect(entries[0]?.at).toBeInstanceOf(Date);
  });

  it('groups consecutive edits by one person within two minutes: first value before, last after', async () => {
    const { id } = await agent.api.clients.create.mutate({ name: 'Hist Two' });
    await edit(agent, id, 'city', 'Poznań');
    await edit(agent, id, 'city', 'Toruń');
    await edit(agent, id, 'companyName', 'Two Sp. z o.o.');
    const [group] = (await agent.api.activity.history.query({ clientId: id })).entries;
    expect(group).toMatchObject({
      type: 'client.updated',
      count: 3,
      changes: {
        city: { before: null, after: 'Toruń' },
        companyName: { before: null, after: 'Two Sp. z o.o.' },
      },
    });
  });

  it('does not group edits by two people, nor edits more than two minutes apart', async () => {
    const { id } = await agent.api.clients.create.mutate({ name: 'Hist Three' });
    await edit(agent, id, 'city', 'Lublin');
    await edit(manager, id, 'city', 'Rzeszów');
    await edit(manager, id, 'city', 'Kielce');
    // The manager's two edits would group; move the first one three minutes back.
    const latest = (await t.em().find(ClientEvent, { clientId: id }, { orderBy: { seq: 'desc' }, limit: 1 }))[0];
    await shiftEvents(id, latest?.seq ?? 0, 3);

    const types = (await admin.api.activity.history.query({ clientId: id })).entries.map((entry) => [
      entry.type,
      entry.count,
      entry.changes.city?.after ?? null,
    ]);
    expect(types).toEqual([
      ['client.updated', 1, 'Kielce'],
      ['client.updated', 1, 'Rzeszów'],
      ['client.updated', 1, 'Lublin'],
      ['client.created', 1, null],
    ]);
  });

  it('pages by cursor without gaps or repeats', async () => {
    const { id } = await agent.api.clients.create.mutate({ name: 'Hist Four' });
    for (const status of ['inactive', 'active', 'inactive', 'active', 'inactive'] as const) {
      await agent.api.clients.setStatus.mutate({ ids: [id], status });
    }
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page: { entries: { seq: number }[]; nextCursor: number | null } = await agent.api.activity.history.query({
        clientId: id,
        cursor,
        limit: 2,
      });
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries.map((entry) => entry.seq));
      cursor = page.nextCursor;
    } while (cursor !== null);
    const all = await t.em().find(ClientEvent, { clientId: id }, { orderBy: { seq: 'desc' } });
    expect(seen).toEqual(all.map((row) => row.seq));
  });

  it('pages a grouped edit as one entry, never splitting or repeating it across pages', async () => {
    const { id } = await agent.api.clients.create.mutate({ name: 'Hist Five' });
    await edit(agent, id, 'city', 'Opole');
    await edit(agent, id, 'city', 'Nysa');
    await edit(agent, id, 'city', 'Brzeg');
    await agent.api.clients.setStatus.mutate({ ids: [id], status: 'inactive' });
    const pages: { type: string; count: number; city: unknown }[][] = [];
    let cursor: number | null = null;
    do {
      const page: Awaited<ReturnType<typeof agent.api.activity.history.query>> = await agent.api.activity.history.query(
        { clientId: id, cursor, limit: 1 },
      );
      pages.push(page.entries.map((entry) => ({ type: entry.type, count: entry.count, city: entry.changes.city })));
      cursor = page.nextCursor;
    } while (cursor !== null && pages.length < 10);
    expect(pages).toEqual([
      [{ type: 'client.status', count: 1, city: undefined }],
      [{ type: 'client.updated', count: 3, city: { before: null, after: 'Brzeg' } }],
      [{ type: 'client.created', count: 1, city: undefined }],
    ]);
  });

  it('shows a portal user its own card’s history without private notes, and no other card', async () => {
    await agent.api.notes.add.mutate({ clientId: portalClientId, body: 'Staff only', visibility: 'private' });
    await agent.api.notes.add.mutate({ clientId: portalClientId, body: 'Hello', visibility: 'public' });
    const own = await portal.api.activity.history.query({ clientId: portalClientId });
    const notes = own.entries.filter((entry) => entry.type === 'note.added');
    expect(notes.map((entry) => entry.changes.body?.after)).toEqual(['Hello']);
    expect(JSON.stringify(own)).not.toContain('Staff only');
    const staff = await agent.api.activity.history.query({ clientId: portalClientId });
    expect(staff.entries.filter((entry) => entry.type === 'note.added')).toHaveLength(2);

    const other = await agent.api.clients.create.mutate({ name: 'Someone Else' });
    expect((await failure(portal.api.activity.history.query({ clientId: other.id }))).code).toBe('NOT_FOUND');
  });

  it('answers NOT_FOUND for an unknown client and UNAUTHORIZED when signed out', async () => {
    expect((await failure(agent.api.activity.history.query({ clientId: 999_999 }))).code).toBe('NOT_FOUND');
    expect((await failure(t.anonymous().activity.history.query({ clientId: 1 }))).code).toBe('UNAUTHORIZED');
  });
});

describe('the activity feed', () => {
  it('lists status changes across clients newest first, filtered by category, country and type', async () => {
    const category = await admin.api.lookups.createCategory.mutate({ name: 'Feed Category' });
    const inCategory = await agent.api.clients.create.mutate({
      name: 'Feed A',
      categoryId: category.id,
      country: 'NO',
    });
    const elsewhere = await agent.api.clients.create.mutate({ name: 'Feed B', country: 'IN' });
    await agent.api.clients.setStatus.mutate({ ids: [inCategory.id], status: 'inactive' });
    await agent.api.clients.setStatus.mutate({ ids: [elsewhere.id], status: 'inactive' });

    const all = await viewer.api.activity.feed.query({});
    expect(all.items.every((item) => item.type === 'client.status')).toBe(true);
    expect(all.items[0]).toMatchObject({ client: { id: elsewhere.id, name: 'Feed B', country: 'IN' } });
    const seqs = all.items.map((item) => item.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    const byCategory = await viewer.api.activity.feed.query({ categoryId: category.id });
    expect(byCategory.items.map((item) => item.client.id)).toEqual([inCategory.id]);
    expect(byCategory.items[0]?.client.categoryName).toBe('Feed Category');
    const byCountry = await viewer.api.activity.feed.query({ country: 'in' });
    expect(byCountry.items.map((item) => item.client.id)).toEqual([elsewhere.id]);
    const created = await viewer.api.activity.feed.query({ types: ['client.created'], country: 'NO' });
    expect(created.items.map((item) => item.client.id)).toContain(inCategory.id);
  });

  it('pages by cursor without gaps or repeats, and says when there is nothing older', async () => {
    const types = ['client.created', 'client.status'] as const;
    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof agent.api.activity.feed.query>> = await agent.api.activity.feed.query({
        types: [...types],
        limit: 3,
        cursor,
      });
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((item) => item.seq));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 100);
    const all = await t.em().find(ClientEvent, { type: { $in: [...types] } }, { orderBy: { seq: 'desc' } });
    expect(seen).toEqual(all.map((row) => row.seq));
  });

  it('finds a rare category’s change behind many changes of other clients', async () => {
    const category = await admin.api.lookups.createCategory.mutate({ name: 'Rare Category' });
    const rare = await agent.api.clients.create.mutate({ name: 'Feed Rare', categoryId: category.id });
    await agent.api.clients.setStatus.mutate({ ids: [rare.id], status: 'inactive' });
    const other = await agent.api.clients.create.mutate({ name: 'Feed Busy' });
    // 300 later status changes of another client, written straight into the log to keep the test quick.
    const em = t.em();
    for (let index = 0; index < 300; index++) {
      em.create(ClientEvent, {
        clientId: other.id,
        type: 'client.status',
        actorId: null,
        actorName: 'Test',
        changes: { status: { before: 'active', after: 'inactive' } },
        at: new Date(),
      });
    }
    await em.flush();
    const page = await viewer.api.activity.feed.query({ categoryId: category.id, limit: 5 });
    expect(page.items.map((item) => [item.client.name, item.changes.status?.after])).toEqual([
      ['Feed Rare', 'inactive'],
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it('refuses portal users and bad filters', async () => {
    expect((await failure(portal.api.activity.feed.query({}))).code).toBe('FORBIDDEN');
    const bad = await failure(agent.api.activity.feed.query({ types: ['client.exploded' as 'client.status'] }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect((await failure(agent.api.activity.feed.query({ country: 'XX' }))).code).toBe('BAD_REQUEST');
  });
});

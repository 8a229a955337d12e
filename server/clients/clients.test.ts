import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldForSearch } from '../../shared/fold';
import { ClientEvent } from '../activity/entity';
import { Contract } from '../lookups/entity';
import { ADMIN, type ApiClient, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { Client } from './entity';

let t: TestApp;
let admin: SignedIn;
let manager: SignedIn;
let agent: SignedIn;
let viewer: SignedIn;
let managerName: string;

let retail: number;
let wholesale: number;
let retailShops: number;
let retailOnline: number;
let wholesaleBulk: number;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  manager = await t.as('manager');
  agent = await t.as('agent');
  viewer = await t.as('viewer');
  managerName = (await manager.api.auth.me.query())?.name ?? '';
  retail = (await admin.api.lookups.createCategory.mutate({ name: 'Retail' })).id;
  wholesale = (await admin.api.lookups.createCategory.mutate({ name: 'Wholesale' })).id;
  retailShops = (await admin.api.lookups.createSubcategory.mutate({ categoryId: retail, name: 'Shops' })).id;
  retailOnline = (await admin.api.lookups.createSubcategory.mutate({ categoryId: retail, name: 'Online' })).id;
  wholesaleBulk = (await admin.api.lookups.createSubcategory.mutate({ categoryId: wholesale, name: 'Bulk' })).id;
});

afterAll(async () => {
  await t?.close();
});

async function counts(): Promise<{ clients: number; events: number }> {
  const em = t.em();
  return { clients: await em.count(Client, {}), events: await em.count(ClientEvent, {}) };
}

async function eventsOf(clientId: number) {
  return t.em().find(ClientEvent, { clientId }, { orderBy: { seq: 'asc' } });
}

const ids = (result: { items: { id: number }[] }) => result.items.map((item) => item.id);

describe('create and get', () => {
  it('creates a client with every field, normalized, and gets it back', async () => {
    const created = await admin.api.clients.create.mutate({
      salutation: 'mr',
      name: '  Jan Kowalski ',
      email: 'Jan.Kowalski@Example.COM',
      country: 'pl',
      mobile: '601 234 567',
      gender: 'male',
      language: 'PL',
      categoryId: retail,
      subcategoryId: retailShops,
      status: 'inactive',
      companyName: 'Kowalski i Synowie',
      website: 'example.com',
      taxName: 'NIP',
      taxNumber: '5260250274',
      officePhone: '22 123 45 67',
      city: 'Warszawa',
      state: 'mazowieckie',
      postalCode: '00-001',
      companyAddress: 'ul. Marszałkowska 1',
      shippingAddress: 'ul. Marszałkowska 2',
      electronicAddressScheme: '9945',
      electronicAddress: 'PL5260250274',
      loginAllowed: true,
      emailNotifications: false,
    });
    const expected = {
      salutation: 'mr',
      name: 'Jan Kowalski',
      email: 'jan.kowalski@example.com',
      country: 'PL',
      mobile: '+48601234567',
      gender: 'male',
      language: 'pl',
      categoryId: retail,
      subcategoryId: retailShops,
      status: 'inactive',
      companyName: 'Kowalski i Synowie',
      website: 'https://example.com',
      taxName: 'NIP',
      taxNumber: '5260250274',
      officePhone: '+48221234567',
      city: 'Warszawa',
      state: 'mazowieckie',
      postalCode: '00-001',
      companyAddress: 'ul. Marszałkowska 1',
      shippingAddress: 'ul. Marszałkowska 2',
      electronicAddressScheme: '9945',
      electronicAddress: 'PL5260250274',
      loginAllowed: true,
      emailNotifications: false,
      photoFileId: null,
      logoFileId: null,
      deletedAt: null,
    };
    expect(created).toMatchObject(expected);
    expect(created.id).toBeGreaterThan(0);
    expect(created.version).toBeGreaterThanOrEqual(1);
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.updatedAt).toBeInstanceOf(Date);
    expect(created.addedBy).toEqual({ id: expect.any(Number), name: 'Administrator' });

    const got = await viewer.api.clients.get.query({ id: created.id });
    expect(got).toMatchObject({ ...expected, id: created.id, version: created.version, addedBy: created.addedBy });

    const events = await eventsOf(created.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'client.created', actorName: created.addedBy?.name });
    expect(events[0]?.changes.email).toEqual({ before: null, after: 'jan.kowalski@example.com' });
  });

  it('fills the defaults when only the name is given', async () => {
    const created = await agent.api.clients.create.mutate({ name: 'Minimal Person' });
    expect(created).toMatchObject({
      name: 'Minimal Person',
      email: null,
      status: 'active',
      loginAllowed: false,
      emailNotifications: true,
      categoryId: null,
    });
  });

  it('answers NOT_FOUND for a client that does not exist', async () => {
    expect((await failure(viewer.api.clients.get.query({ id: 999_999 }))).code).toBe('NOT_FOUND');
  });

  it('refuses a second live client with the same e-mail', async () => {
    await agent.api.clients.create.mutate({ name: 'First Owner', email: 'owner@dup.test' });
    const error = await failure(agent.api.clients.create.mutate({ name: 'Second Owner', email: 'OWNER@dup.test' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors?.email?.[0]).toMatch(/First Owner/);
  });
});

describe('refused input', () => {
  async function refusedCreate(input: Record<string, unknown>, field: string): Promise<string[]> {
    const before = await counts();
    const error = await failure(agent.api.clients.create.mutate(input));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.httpStatus).toBe(400);
    expect(error.fieldErrors?.[field], JSON.stringify(error.fieldErrors)).toBeDefined();
    expect(await counts()).toEqual(before);
    return error.fieldErrors?.[field] ?? [];
  }

  it('needs a name', async () => {
    await refusedCreate({ email: 'noname@example.com' }, 'name');
    await refusedCreate({ name: '   ' }, 'name');
  });

  it('needs a real e-mail address', async () => {
    await refusedCreate({ name: 'Bad Mail', email: 'not-an-email' }, 'email');
  });

  it('needs a known country', async () => {
    const messages = await refusedCreate({ name: 'Nowhere', country: 'XX' }, 'country');
    expect(messages.join(' ')).toMatch(/XX/);
  });

  it('needs the sub-category to belong to the category', async () => {
    await refusedCreate({ name: 'Mismatch', categoryId: wholesale, subcategoryId: retailShops }, 'subcategoryId');
    await refusedCreate({ name: 'Orphan', subcategoryId: retailShops }, 'subcategoryId');
    await refusedCreate({ name: 'Ghost', categoryId: 987_654 }, 'categoryId');
  });

  it('refuses a deprecated EAS scheme, naming its replacement', async () => {
    const messages = await refusedCreate(
      { name: 'Old Scheme', electronicAddressScheme: '9955', electronicAddress: 'SE556036079301' },
      'electronicAddressScheme',
    );
    expect(messages.join(' ')).toMatch(/0007/);
    await refusedCreate(
      { name: 'No Scheme', electronicAddressScheme: '1234', electronicAddress: 'x' },
      'electronicAddressScheme',
    );
    await refusedCreate({ name: 'Half Pair', electronicAddressScheme: '0088' }, 'electronicAddress');
  });

  it('refuses a phone number that is not one', async () => {
    await refusedCreate({ name: 'Bad Phone', country: 'PL', mobile: '12' }, 'mobile');
    await refusedCreate({ name: 'Bad Office', officePhone: 'call me maybe' }, 'officePhone');
  });

  it('refuses a website that is not an http(s) address', async () => {
    await refusedCreate({ name: 'Bad Site', website: 'javascript:alert(1)' }, 'website');
  });

  it('refuses a field the card does not have', async () => {
    const before = await counts();
    const error = await failure(agent.api.clients.create.mutate({ name: 'Extra', nickname: 'Jimmy' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(error.fieldErrors)).toMatch(/nickname/);
    expect(await counts()).toEqual(before);
  });

  it('refuses an unknown field in update changes, and writes nothing', async () => {
    const client = await agent.api.clients.create.mutate({ name: 'Strict Changes', city: 'Opole' });
    const before = await counts();
    const error = await failure(
      agent.api.clients.update.mutate({
        id: client.id,
        changes: { city: { base: 'Opole', value: 'Kielce' }, nickname: { base: null, value: 'x' } } as never,
      }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(error.fieldErrors)).toMatch(/nickname/);
    expect(await counts()).toEqual(before);
    expect(await agent.api.clients.get.query({ id: client.id })).toMatchObject({
      city: 'Opole',
      version: client.version,
    });
  });

  it('refuses a bad value in an update, and writes nothing', async () => {
    const client = await agent.api.clients.create.mutate({ name: 'Strict Values', email: 'strict@values.test' });
    const before = await counts();
    const error = await failure(
      agent.api.clients.update.mutate({
        id: client.id,
        changes: { email: { base: 'strict@values.test', value: 'broken' }, city: { base: null, value: 'Kalisz' } },
      }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors?.email).toBeDefined();
    expect(await counts()).toEqual(before);
    expect(await agent.api.clients.get.query({ id: client.id })).toMatchObject({
      email: 'strict@values.test',
      city: null,
      version: client.version,
    });
  });

  it('refuses a page size that is not 25, 50 or 100', async () => {
    const error = await failure(viewer.api.clients.list.query({ pageSize: 30 }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors?.pageSize).toBeDefined();
  });

  it('refuses a bad list filter', async () => {
    const country = await failure(viewer.api.clients.list.query({ country: 'XX' }));
    expect(country.fieldErrors?.country).toBeDefined();
    const range = await failure(viewer.api.clients.list.query({ createdFrom: '2024-05-01', createdTo: '2024-04-01' }));
    expect(range.fieldErrors?.createdTo).toBeDefined();
    const date = await failure(viewer.api.clients.list.query({ createdFrom: '1 May 2024' }));
    expect(date.fieldErrors?.createdFrom).toBeDefined();
  });
});

describe('list', () => {
  // All of this block's clients carry "Listy" in their name, so `search: 'listy'` scopes every query to them.
  const made: Record<'a' | 'b' | 'c' | 'd', number> = { a: 0, b: 0, c: 0, d: 0 };
  let projectA: number;
  let projectC: number;
  let serviceType: number;
  let supplyType: number;

  beforeAll(async () => {
    const api = manager.api;
    made.a = (
      await api.clients.create.mutate({
        name: 'Listy Anna Zielińska',
        email: 'anna@listy.test',
        country: 'PL',
        categoryId: retail,
        subcategoryId: retailShops,
        companyName: 'Łódź Logistics',
        taxNumber: 'PL 526-000-12-46',
      })
    ).id;
    made.b = (
      await api.clients.create.mutate({
        name: 'Listy Bartosz Nowak',
        email: 'bartosz@listy.test',
        country: 'DE',
        categoryId: retail,
        subcategoryId: retailOnline,
        companyName: 'Berlin Bau',
        taxNumber: 'DE 136-695-976',
      })
    ).id;
    made.c = (
      await api.clients.create.mutate({
        name: 'Listy Celina Wróbel',
        email: 'celina@listy.test',
        country: 'PL',
        categoryId: wholesale,
        subcategoryId: wholesaleBulk,
        companyName: '100% Pure',
        taxNumber: '774-000-14-54',
        status: 'inactive',
      })
    ).id;
    made.d = (
      await api.clients.create.mutate({
        name: 'Listy Dawid Kruk',
        email: 'dawid@listy.test',
        country: 'FR',
        companyName: 'Paris_Shop',
      })
    ).id;
    const em = t.em();
    await em.nativeUpdate(Client, { id: made.a }, { createdAt: new Date('2024-01-10T12:00:00Z') });
    await em.nativeUpdate(Client, { id: made.b }, { createdAt: new Date('2024-02-15T12:00:00Z') });
    await em.nativeUpdate(Client, { id: made.c }, { createdAt: new Date('2024-03-20T23:30:00Z') });

    projectA = (await agent.api.projects.add.mutate({ clientId: made.a, name: 'Warehouse' })).id;
    projectC = (await agent.api.projects.add.mutate({ clientId: made.c, name: 'Shop fit-out' })).id;
    serviceType = (await admin.api.lookups.createContractType.mutate({ name: 'Service' })).id;
    supplyType = (await admin.api.lookups.createContractType.mutate({ name: 'Supply' })).id;
    em.create(Contract, { clientId: made.b, typeId: serviceType, subject: 'Support', createdAt: new Date() });
    em.create(Contract, { clientId: made.c, typeId: serviceType, subject: 'Cleaning', createdAt: new Date() });
    em.create(Contract, { clientId: made.d, typeId: supplyType, subject: 'Paper', createdAt: new Date() });
    await em.flush();
  });

  async function listy(filters: Parameters<ApiClient['clients']['list']['query']>[0]): Promise<number[]> {
    const result = await viewer.api.clients.list.query({ search: 'listy', sort: 'name', direction: 'asc', ...filters });
    expect(result.total).toBe(result.items.length);
    return ids(result);
  }

  it('lists everything matching, with the total', async () => {
    const result = await viewer.api.clients.list.query({ search: 'listy', sort: 'name', direction: 'asc' });
    expect(ids(result)).toEqual([made.a, made.b, made.c, made.d]);
    expect(result.total).toBe(4);
    expect(result.items[0]).toMatchObject({
      name: 'Listy Anna Zielińska',
      email: 'anna@listy.test',
      status: 'active',
      companyName: 'Łódź Logistics',
      country: 'PL',
      categoryId: retail,
      categoryName: 'Retail',
      photoFileId: null,
    });
    expect(result.items[0]?.createdAt).toEqual(new Date('2024-01-10T12:00:00Z'));
  });

  it('filters by status', async () => {
    expect(await listy({ status: 'inactive' })).toEqual([made.c]);
    expect(await listy({ status: 'active' })).toEqual([made.a, made.b, made.d]);
  });

  it('filters by category and sub-category', async () => {
    expect(await listy({ categoryId: retail })).toEqual([made.a, made.b]);
    expect(await listy({ categoryId: wholesale })).toEqual([made.c]);
    expect(await listy({ subcategoryId: retailOnline })).toEqual([made.b]);
    expect(await listy({ categoryId: retail, subcategoryId: retailShops })).toEqual([made.a]);
    // A sub-category of another category is a mistake in the request, named at the field.
    const mismatch = await failure(
      viewer.api.clients.list.query({ search: 'listy', categoryId: retail, subcategoryId: wholesaleBulk }),
    );
    expect(mismatch.fieldErrors?.subcategoryId?.[0]).toMatch(/Bulk.*Retail/);
  });

  it('filters by project', async () => {
    expect(await listy({ projectId: projectA })).toEqual([made.a]);
    expect(await listy({ projectId: projectC })).toEqual([made.c]);
    expect(await listy({ projectId: 999_999 })).toEqual([]);
  });

  it('filters by contract type', async () => {
    expect(await listy({ contractTypeId: serviceType })).toEqual([made.b, made.c]);
    expect(await listy({ contractTypeId: supplyType })).toEqual([made.d]);
  });

  it('filters by country, in any case', async () => {
    expect(await listy({ country: 'PL' })).toEqual([made.a, made.c]);
    expect(await listy({ country: 'de' })).toEqual([made.b]);
    expect(await listy({ country: 'US' })).toEqual([]);
  });

  it('filters by creation date range, both ends inclusive (UTC days)', async () => {
    expect(await listy({ createdFrom: '2024-02-01', createdTo: '2024-03-31' })).toEqual([made.b, made.c]);
    expect(await listy({ createdFrom: '2024-02-15', createdTo: '2024-02-15' })).toEqual([made.b]);
    expect(await listy({ createdTo: '2024-03-20' })).toEqual([made.a, made.b, made.c]);
    expect(await listy({ createdFrom: '2024-03-21' })).toEqual([made.d]);
    expect(await listy({ createdFrom: '2024-01-11', createdTo: '2024-02-14' })).toEqual([]);
  });

  it('combines filters', async () => {
    expect(await listy({ country: 'PL', status: 'active' })).toEqual([made.a]);
    expect(await listy({ contractTypeId: serviceType, categoryId: retail })).toEqual([made.b]);
  });

  async function search(text: string): Promise<number[]> {
    return ids(await viewer.api.clients.list.query({ search: text, sort: 'name', direction: 'asc', pageSize: 100 }));
  }

  it('searches name, e-mail, company name and tax number, ignoring case and accents', async () => {
    expect(await search('lodz')).toEqual([made.a]);
    expect(await search('ŁÓDŹ logistics')).toEqual([made.a]);
    expect(await search('zielinska')).toEqual([made.a]);
    expect(await search('WRÓBEL')).toEqual([made.c]);
    expect(await search('bartosz@listy')).toEqual([made.b]);
    expect(await search('berlin bau')).toEqual([made.b]);
    expect(await search('de-136-695-976')).toEqual([made.b]);
    expect(await search('7740001454')).toEqual([made.c]);
    expect(await search('no such client anywhere')).toEqual([]);
  });

  it('takes % and _ literally', async () => {
    expect(await search('%')).toEqual([made.c]);
    expect(await search('100%')).toEqual([made.c]);
    expect(await search('_')).toEqual([made.d]);
    // Unescaped, '_' would match the space in "listy anna".
    expect(await search('listy_anna')).toEqual([]);
    expect(await search('100_')).toEqual([]);
    expect(await search('paris_')).toEqual([made.d]);
  });

  it('never lists deleted clients', async () => {
    const gone = await manager.api.clients.create.mutate({ name: 'Listy Gone Soon' });
    expect(await listy({})).toContain(gone.id);
    await manager.api.clients.delete.mutate({ ids: [gone.id] });
    expect(await listy({})).not.toContain(gone.id);
  });
});

describe('sort and paging', () => {
  const sortIds: number[] = [];

  beforeAll(async () => {
    // Plain ASCII values: their order is the same under every collation.
    const rows = [
      { name: 'Sortx Echo', email: 'e@sortx.test', status: 'active', companyName: 'Mango', country: 'PL' },
      { name: 'sortx alpha', email: 'c@sortx.test', status: 'inactive', companyName: 'Apple', country: 'DE' },
      { name: 'Sortx Delta', email: 'a@sortx.test', status: 'active', companyName: 'Mango', country: 'PL' },
      { name: 'Sortx Bravo', email: 'd@sortx.test', status: 'inactive', companyName: 'Zebra', country: 'FR' },
      { name: 'Sortx Charlie', email: 'b@sortx.test', status: 'active', companyName: 'Kiwi', country: 'DE' },
    ] as const;
    for (const row of rows) sortIds.push((await agent.api.clients.create.mutate(row)).id);
    const em = t.em();
    const times = ['2024-05-01T10:00:00Z', '2024-05-03T10:00:00Z', '2024-05-01T10:00:00Z', '2024-04-01T00:00:00Z'];
    for (const [index, time] of times.entries()) {
      await em.nativeUpdate(Client, { id: sortIds[index] }, { createdAt: new Date(time) });
    }
  });

  type Item = Awaited<ReturnType<ApiClient['clients']['list']['query']>>['items'][number];
  const keys = {
    name: (item: Item) => foldForSearch(item.name),
    email: (item: Item) => item.email ?? '',
    status: (item: Item) => item.status,
    createdAt: (item: Item) => item.createdAt.toISOString(),
    companyName: (item: Item) => item.companyName ?? '',
    country: (item: Item) => item.country ?? '',
  } as const;

  for (const sort of Object.keys(keys) as (keyof typeof keys)[]) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`sorts by ${sort} ${direction}, ties broken by id`, async () => {
        const result = await viewer.api.clients.list.query({ search: 'sortx', sort, direction });
        expect(result.total).toBe(5);
        const key = keys[sort];
        const expected = [...result.items]
          .sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : x.id - y.id))
          .map((item) => item.id);
        if (direction === 'desc') expected.reverse();
        expect(ids(result)).toEqual(expected);
        expect(new Set(ids(result))).toEqual(new Set(sortIds));
        // The same query gives the same order every time.
        expect(ids(await viewer.api.clients.list.query({ search: 'sortx', sort, direction }))).toEqual(ids(result));
      });
    }
  }

  it('sorts empty values after the rest ascending, and before them descending, on every database', async () => {
    const full = await agent.api.clients.create.mutate({ name: 'Sortz Full', companyName: 'Acme', country: 'PL' });
    const empty = await agent.api.clients.create.mutate({ name: 'Sortz Empty' });
    for (const sort of ['companyName', 'country', 'email'] as const) {
      const asc = await viewer.api.clients.list.query({ search: 'sortz', sort, direction: 'asc' });
      const desc = await viewer.api.clients.list.query({ search: 'sortz', sort, direction: 'desc' });
      // For e-mail both are empty, so the id decides, in the same direction.
      expect(ids(asc), sort).toEqual([full.id, empty.id]);
      expect(ids(desc), sort).toEqual([empty.id, full.id]);
    }
  });

  it('sorts by name accent-insensitively', async () => {
    const zola = await agent.api.clients.create.mutate({ name: 'Sorty Żaneta' });
    const lukasz = await agent.api.clients.create.mutate({ name: 'Sorty Łukasz' });
    const marek = await agent.api.clients.create.mutate({ name: 'Sorty Marek' });
    const result = await viewer.api.clients.list.query({ search: 'sorty', sort: 'name', direction: 'asc' });
    expect(ids(result)).toEqual([lukasz.id, marek.id, zola.id]);
  });

  it('pages with a total, each client on exactly one page', async () => {
    for (let index = 1; index <= 27; index++) {
      await agent.api.clients.create.mutate({ name: `Pagey ${String(index).padStart(2, '0')}` });
    }
    const query = { search: 'pagey', sort: 'name', direction: 'asc' } as const;
    const first = await viewer.api.clients.list.query({ ...query, page: 1, pageSize: 25 });
    const second = await viewer.api.clients.list.query({ ...query, page: 2, pageSize: 25 });
    const third = await viewer.api.clients.list.query({ ...query, page: 3, pageSize: 25 });
    expect(first.total).toBe(27);
    expect(second.total).toBe(27);
    expect(third.total).toBe(27);
    expect(first.items).toHaveLength(25);
    expect(second.items).toHaveLength(2);
    expect(third.items).toHaveLength(0);
    expect(first.items[0]?.name).toBe('Pagey 01');
    expect(second.items.map((item) => item.name)).toEqual(['Pagey 26', 'Pagey 27']);
    const all = await viewer.api.clients.list.query({ ...query, pageSize: 50 });
    expect([...ids(first), ...ids(second)]).toEqual(ids(all));
    expect(new Set(ids(all)).size).toBe(27);
  });
});

describe('update', () => {
  it('applies a change whose base is current, and logs it with before and after', async () => {
    const client = await agent.api.clients.create.mutate({ name: 'Update Me', city: 'Kraków' });
    const result = await agent.api.clients.update.mutate({
      id: client.id,
      changes: { city: { base: 'Kraków', value: 'Gdańsk' }, email: { base: null, value: 'Update.Me@Example.com' } },
    });
    expect(result.conflicts).toEqual([]);
    expect(result.client).toMatchObject({ city: 'Gdańsk', email: 'update.me@example.com' });
    expect(result.client.version).toBeGreaterThan(client.version);
    expect(await viewer.api.clients.get.query({ id: client.id })).toMatchObject({
      city: 'Gdańsk',
      email: 'update.me@example.com',
      version: result.client.version,
    });
    const events = await eventsOf(client.id);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({
      type: 'client.updated',
      actorName: (await agent.api.auth.me.query())?.name,
      changes: {
        city: { before: 'Kraków', after: 'Gdańsk' },
        email: { before: null, after: 'update.me@example.com' },
      },
    });
    expect(Object.keys(events[1]?.changes ?? {}).sort()).toEqual(['city', 'email']);
    // The list and search see the new values.
    expect(ids(await viewer.api.clients.list.query({ search: 'update.me@example' }))).toEqual([client.id]);
  });

  it('returns a stale field as a conflict with the stored value and who stored it, and applies the rest', async () => {
    const client = await agent.api.clients.create.mutate({ name: 'Conflicted', city: 'Gdańsk', state: null });
    await manager.api.clients.update.mutate({ id: client.id, changes: { city: { base: 'Gdańsk', value: 'Poznań' } } });
    const eventsBefore = (await eventsOf(client.id)).length;

    const result = await agent.api.clients.update.mutate({
      id: client.id,
      changes: {
        city: { base: 'Gdańsk', value: 'Wrocław' },
        state: { base: null, value: 'pomorskie' },
      },
    });
    expect(result.conflicts).toEqual([
      { field: 'city', base: 'Gdańsk', yours: 'Wrocław', theirs: 'Poznań', by: managerName },
    ]);
    expect(result.client).toMatchObject({ city: 'Poznań', state: 'pomorskie' });
    expect(await viewer.api.clients.get.query({ id: client.id })).toMatchObject({ city: 'Poznań', state: 'pomorskie' });
    const events = await eventsOf(client.id);
    expect(events).toHaveLength(eventsBefore + 1);
    expect(events.at(-1)?.changes).toEqual({ state: { before: null, after: 'pomorskie' } });
  });

  it('treats a value equal to the stored one as nothing to do: no event, no new version', async () => {
    const client = await agent.api.clients.create.mutate({ name: 'Steady', city: 'Lublin', email: 'steady@x.test' });
    const before = await counts();
    const result = await manager.api.clients.update.mutate({
      id: client.id,
      changes: {
        city: { base: 'Somewhere else', value: 'Lublin' },
        email: { base: 'steady@x.test', value: 'STEADY@x.test' },
      },
    });
    expect(result.conflicts).toEqual([]);
    expect(result.client).toMatchObject({ city: 'Lublin', email: 'steady@x.test', version: client.version });
    expect(await counts()).toEqual(before);
  });

  it('lets exactly one of two concurrent edits of the same field apply; the other gets a conflict', async () => {
    const agentName = (await agent.api.auth.me.query())?.name;
    for (let round = 0; round < 5; round++) {
      const client = await agent.api.clients.create.mutate({ name: `Race ${round}`, city: 'Start' });
      const eventsBefore = (await eventsOf(client.id)).length;
      const [fromAgent, fromManager] = await Promise.all([
        agent.api.clients.update.mutate({ id: client.id, changes: { city: { base: 'Start', value: 'Agent City' } } }),
        manager.api.clients.update.mutate({
          id: client.id,
          changes: { city: { base: 'Start', value: 'Manager City' } },
        }),
      ]);
      const outcomes = [fromAgent, fromManager];
      const winners = outcomes.filter((outcome) => outcome.conflicts.length === 0);
      const losers = outcomes.filter((outcome) => outcome.conflicts.length === 1);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const stored = await viewer.api.clients.get.query({ id: client.id });
      const winnerValue = winners[0] === fromAgent ? 'Agent City' : 'Manager City';
      expect(stored.city).toBe(winnerValue);
      expect(losers[0]?.conflicts[0]).toMatchObject({
        field: 'city',
        base: 'Start',
        theirs: winnerValue,
        by: winners[0] === fromAgent ? agentName : managerName,
      });
      const events = await eventsOf(client.id);
      expect(events).toHaveLength(eventsBefore + 1);
      expect(events.at(-1)?.changes).toEqual({ city: { before: 'Start', after: winnerValue } });
    }
  });

  it('applies status changes last-writer-wins, whatever the base', async () => {
    const client = await agent.api.clients.create.mutate({ name: 'Status Edit' });
    await manager.api.clients.update.mutate({
      id: client.id,
      changes: { status: { base: 'active', value: 'inactive' } },
    });
    const result = await agent.api.clients.update.mutate({
      id: client.id,
      changes: { status: { base: 'inactive', value: 'active' } },
    });
    expect(result.conflicts).toEqual([]);
    const stale = await agent.api.clients.update.mutate({
      id: client.id,
      changes: { status: { base: 'active', value: 'inactive' } },
    });
    expect(stale.conflicts).toEqual([]);
    expect(stale.client.status).toBe('inactive');
    expect((await eventsOf(client.id)).at(-1)?.type).toBe('client.status');
  });

  it('answers NOT_FOUND for an update of a client that does not exist', async () => {
    const error = await failure(
      agent.api.clients.update.mutate({ id: 999_999, changes: { city: { base: null, value: 'X' } } }),
    );
    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('status, delete and restore', () => {
  it('sets the status of several clients, one event each, skipping those already there', async () => {
    const one = await agent.api.clients.create.mutate({ name: 'Status One' });
    const two = await agent.api.clients.create.mutate({ name: 'Status Two', status: 'inactive' });
    const before = await counts();
    expect(await agent.api.clients.setStatus.mutate({ ids: [one.id, two.id], status: 'inactive' })).toEqual({
      affected: 1,
    });
    expect((await counts()).events).toBe(before.events + 1);
    expect((await viewer.api.clients.get.query({ id: one.id })).status).toBe('inactive');
    const last = (await eventsOf(one.id)).at(-1);
    expect(last).toMatchObject({ type: 'client.status', changes: { status: { before: 'active', after: 'inactive' } } });
    expect(await agent.api.clients.setStatus.mutate({ ids: [one.id, two.id], status: 'active' })).toEqual({
      affected: 2,
    });
  });

  it('answers NOT_FOUND when one of the ids does not exist, and changes none', async () => {
    const one = await agent.api.clients.create.mutate({ name: 'Status Three' });
    const error = await failure(agent.api.clients.setStatus.mutate({ ids: [one.id, 999_999], status: 'inactive' }));
    expect(error.code).toBe('NOT_FOUND');
    expect((await viewer.api.clients.get.query({ id: one.id })).status).toBe('active');
  });

  it('soft-deletes: gone from the list, still readable by staff, not editable; restore brings it back', async () => {
    const client = await agent.api.clients.create.mutate({ name: 'Deletable Dora', email: 'dora@del.test' });
    expect(ids(await viewer.api.clients.list.query({ search: 'deletable' }))).toEqual([client.id]);

    expect(await manager.api.clients.delete.mutate({ ids: [client.id] })).toEqual({ affected: 1, ids: [client.id] });
    expect(await manager.api.clients.delete.mutate({ ids: [client.id] })).toEqual({ affected: 0, ids: [] });
    expect(await viewer.api.clients.list.query({ search: 'deletable' })).toEqual({ items: [], total: 0 });
    const got = await viewer.api.clients.get.query({ id: client.id });
    expect(got).toMatchObject({ name: 'Deletable Dora' });
    expect(got.deletedAt).toBeInstanceOf(Date);
    expect((await eventsOf(client.id)).at(-1)?.type).toBe('client.deleted');

    const edit = await failure(
      agent.api.clients.update.mutate({ id: client.id, changes: { city: { base: null, value: 'Nowhere' } } }),
    );
    expect(edit.code).toBe('CONFLICT');

    // The e-mail of a deleted client is free for a new one.
    const replacement = await agent.api.clients.create.mutate({ name: 'Dora Again', email: 'dora@del.test' });
    await manager.api.clients.delete.mutate({ ids: [replacement.id] });

    expect(await manager.api.clients.restore.mutate({ ids: [client.id] })).toEqual({ affected: 1 });
    expect(await manager.api.clients.restore.mutate({ ids: [client.id] })).toEqual({ affected: 0 });
    expect(ids(await viewer.api.clients.list.query({ search: 'deletable' }))).toEqual([client.id]);
    expect((await viewer.api.clients.get.query({ id: client.id })).deletedAt).toBeNull();
    expect((await eventsOf(client.id)).at(-1)?.type).toBe('client.restored');
  });
});

describe('portal access', () => {
  it('may be turned on and off only by an administrator', async () => {
    const before = await counts();
    for (const user of [manager, agent]) {
      const error = await failure(user.api.clients.create.mutate({ name: 'Self Service', loginAllowed: true }));
      expect(error.code).toBe('FORBIDDEN');
    }
    expect(await counts()).toEqual(before);

    const client = await agent.api.clients.create.mutate({ name: 'Portal Candidate', loginAllowed: false });
    const refused = await failure(
      manager.api.clients.update.mutate({
        id: client.id,
        changes: { loginAllowed: { base: false, value: true }, city: { base: null, value: 'Sopot' } },
      }),
    );
    expect(refused.code).toBe('FORBIDDEN');
    expect(await viewer.api.clients.get.query({ id: client.id })).toMatchObject({ loginAllowed: false, city: null });

    const granted = await admin.api.clients.update.mutate({
      id: client.id,
      changes: { loginAllowed: { base: false, value: true } },
    });
    expect(granted.client.loginAllowed).toBe(true);
    // Other edits by staff leave the setting alone.
    const edited = await agent.api.clients.update.mutate({
      id: client.id,
      changes: { city: { base: null, value: 'Sopot' }, emailNotifications: { base: true, value: false } },
    });
    expect(edited.client).toMatchObject({ loginAllowed: true, city: 'Sopot', emailNotifications: false });
  });
});

describe('portal client', () => {
  it('sees only its own card', async () => {
    const own = await admin.api.clients.create.mutate({ name: 'Portal Owner', loginAllowed: true });
    const other = await agent.api.clients.create.mutate({ name: 'Portal Stranger' });
    const portal = await t.as('client', { clientId: own.id });
    expect(await portal.api.clients.get.query({ id: own.id })).toMatchObject({ name: 'Portal Owner' });
    expect((await failure(portal.api.clients.get.query({ id: other.id }))).code).toBe('NOT_FOUND');
    expect(ids(await portal.api.clients.list.query({ pageSize: 100 }))).toEqual([own.id]);
    expect(ids(await portal.api.clients.list.query({ search: 'stranger' }))).toEqual([]);
  });
});

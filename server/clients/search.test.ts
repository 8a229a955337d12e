import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientListInput, ListSortField } from '../../shared/client-schema';
import { foldForSearch } from '../../shared/fold';
import { Contract } from '../lookups/entity';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { Client } from './entity';

/**
 * The list's search, filters, sort and paging over real HTTP, on whichever database the run uses: both must
 * find the same clients through their own indexes (FTS5 on SQLite, pg_trgm on PostgreSQL).
 */

let t: TestApp;
let admin: SignedIn;
let viewer: SignedIn;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  viewer = await t.as('viewer');
});

afterAll(async () => {
  await t?.close();
});

const ids = (result: { items: { id: number }[] }) => result.items.map((item) => item.id);

async function search(text: string, extra: ClientListInput = {}): Promise<number[]> {
  const result = await viewer.api.clients.list.query({
    search: text,
    sort: 'name',
    direction: 'asc',
    pageSize: 100,
    ...extra,
  });
  expect(result.total, text).toBe(result.items.length);
  return ids(result);
}

describe('search', () => {
  const c: Record<string, number> = {};

  beforeAll(async () => {
    const make = async (key: string, input: Record<string, unknown>) => {
      c[key] = (await admin.api.clients.create.mutate(input as { name: string })).id;
    };
    await make('lodz', { name: 'Srch Anna Zielińska', email: 'anna@srch.test', companyName: 'Łódź Logistics' });
    await make('zolw', { name: 'Srch Żółw Ęą', companyName: 'Großhandel Süd' });
    await make('obrien', { name: "Srch Seán O'Brien", companyName: '"Quoted" & Co (Ltd)' });
    await make('percent', { name: 'Srch Percent', companyName: '100% Pure' });
    await make('underscore', { name: 'Srch Under', companyName: 'Paris_Shop' });
    await make('fts', { name: 'Srch Syntax', companyName: 'Alpha OR Beta * NEAR(x) col:val -minus ^caret' });
    await make('taxSpaced', { name: 'Srch Tax Spaced', taxNumber: 'PL 526-025-02-74' });
    await make('taxPlain', { name: 'Srch Tax Plain', taxNumber: '7740001454' });
    await make('kowalski', { name: 'Srch Jan Kowalski' });
    await make('makowski', { name: 'Srch Piotr Makowski' });
  });

  it('finds substrings of the name, e-mail, company name and tax number, ignoring case and accents', async () => {
    expect(await search('lodz')).toEqual([c.lodz]);
    expect(await search('ŁÓDŹ LOGISTICS')).toEqual([c.lodz]);
    expect(await search('zielinska')).toEqual([c.lodz]);
    expect(await search('elińs')).toEqual([c.lodz]);
    expect(await search('anna@srch')).toEqual([c.lodz]);
    expect(await search('ogisti')).toEqual([c.lodz]);
    expect(await search('7740001454')).toEqual([c.taxPlain]);
  });

  it('folds Polish and other letters that have no accent to strip (ł, ż, ß)', async () => {
    expect(await search('zolw ea')).toEqual([c.zolw]);
    expect(await search('ŻÓŁW')).toEqual([c.zolw]);
    expect(await search('grosshandel sud')).toEqual([c.zolw]);
    expect(await search('Großhandel')).toEqual([c.zolw]);
  });

  it('takes quotes, brackets and search-syntax words literally', async () => {
    expect(await search("o'brien")).toEqual([c.obrien]);
    expect(await search('"quoted"')).toEqual([c.obrien]);
    expect(await search('"quoted" & co (ltd)')).toEqual([c.obrien]);
    expect(await search('alpha or beta')).toEqual([c.fts]);
    // As FTS syntax these would mean "alpha" OR "gamma", a prefix, a column filter, a NOT, a NEAR group.
    expect(await search('alpha OR gamma')).toEqual([]);
    expect(await search('beta *')).toEqual([c.fts]);
    expect(await search('col:val')).toEqual([c.fts]);
    expect(await search('-minus')).toEqual([c.fts]);
    expect(await search('near(x)')).toEqual([c.fts]);
    expect(await search('^caret')).toEqual([c.fts]);
    expect(await search('"')).toEqual([c.obrien]);
    expect(await search("'")).toEqual([c.obrien]);
  });

  it('takes % and _ literally, whatever the length', async () => {
    expect(await search('100%')).toEqual([c.percent]);
    expect(await search('%')).toEqual([c.percent]);
    expect(await search('0%')).toEqual([c.percent]);
    expect(await search('_')).toEqual([c.underscore]);
    expect(await search('paris_')).toEqual([c.underscore]);
    expect(await search('s_s')).toEqual([c.underscore]);
    // Unescaped, '_' and '%' would match any character here.
    expect(await search('srch_anna')).toEqual([]);
    expect(await search('100_')).toEqual([]);
    expect(await search('paris%shop')).toEqual([]);
  });

  it('finds a tax number written with or without its spaces and dashes', async () => {
    expect(await search('PL 526-025-02-74')).toEqual([c.taxSpaced]);
    expect(await search('5260250274')).toEqual([c.taxSpaced]);
    expect(await search('pl5260250274')).toEqual([c.taxSpaced]);
    expect(await search('526 025 02 74')).toEqual([c.taxSpaced]);
    expect(await search('774 000 14 54')).toEqual([c.taxPlain]);
    expect(await search('774-000-14-54')).toEqual([c.taxPlain]);
  });

  it('matches 1 or 2 letters at the start of a word, not inside one', async () => {
    expect(await search('ko')).toEqual([c.kowalski]);
    expect(await search('KO')).toEqual([c.kowalski]);
    expect(await search('ma')).toEqual([c.makowski]);
    // Folded to "z": the start of Zielińska and of Żółw.
    expect(await search('ż')).toEqual([c.lodz, c.zolw]);
    // "gr" starts "Großhandel"; "ow" is inside Kowalski and Makowski but starts no word.
    expect(await search('gr')).toEqual([c.zolw]);
    expect(await search('ow')).toEqual([]);
    // A word of the e-mail after the @ and of a tax number split at its dashes.
    expect(await search('sr')).toHaveLength(10);
    expect(await search('02')).toEqual([c.taxSpaced]);
  });

  it('lists everything for an empty or blank search, and refuses one that is too long', async () => {
    const all = (await viewer.api.clients.list.query({ pageSize: 100 })).total;
    expect(all).toBeGreaterThanOrEqual(10);
    expect((await viewer.api.clients.list.query({ search: '', pageSize: 100 })).total).toBe(all);
    expect((await viewer.api.clients.list.query({ search: '   ', pageSize: 100 })).total).toBe(all);
    const error = await failure(viewer.api.clients.list.query({ search: 'x'.repeat(201) }));
    expect(error.fieldErrors?.search).toBeDefined();
  });

  it('follows renames and deletions at once (the index is kept in sync with the table)', async () => {
    const client = await admin.api.clients.create.mutate({ name: 'Srch Before Rename', email: 'rename@srch.test' });
    expect(await search('before rename')).toEqual([client.id]);
    await admin.api.clients.update.mutate({
      id: client.id,
      changes: { name: { base: 'Srch Before Rename', value: 'Srch Quokka Renamed' } },
    });
    expect(await search('before rename')).toEqual([]);
    expect(await search('quokka')).toEqual([client.id]);
    expect(await search('qu')).toEqual([client.id, c.obrien]);
    expect(await search('rename@srch')).toEqual([client.id]);
    await admin.api.clients.delete.mutate({ ids: [client.id] });
    expect(await search('quokka')).toEqual([]);
    await admin.api.clients.restore.mutate({ ids: [client.id] });
    expect(await search('quokka')).toEqual([client.id]);
  });
});

describe('filters', () => {
  interface Made {
    id: number;
    status: 'active' | 'inactive';
    category: 'a' | 'b' | null;
    sub: 'a1' | 'a2' | 'b1' | null;
    country: string;
    day: string;
    project: boolean;
    contract: 'x' | 'y' | null;
    name: string;
  }
  const made: Made[] = [];
  const lookup: Record<string, number> = {};
  const lookupId = (key: string) => {
    const id = lookup[key];
    if (id === undefined) throw new Error(`No lookup ${key}`);
    return id;
  };
  let projectId = 0;

  beforeAll(async () => {
    lookup.a = (await admin.api.lookups.createCategory.mutate({ name: 'Filt A' })).id;
    lookup.b = (await admin.api.lookups.createCategory.mutate({ name: 'Filt B' })).id;
    lookup.a1 = (await admin.api.lookups.createSubcategory.mutate({ categoryId: lookup.a, name: 'A1' })).id;
    lookup.a2 = (await admin.api.lookups.createSubcategory.mutate({ categoryId: lookup.a, name: 'A2' })).id;
    lookup.b1 = (await admin.api.lookups.createSubcategory.mutate({ categoryId: lookup.b, name: 'B1' })).id;
    lookup.x = (await admin.api.lookups.createContractType.mutate({ name: 'Filt X' })).id;
    lookup.y = (await admin.api.lookups.createContractType.mutate({ name: 'Filt Y' })).id;
    const subsOf = { a: ['a1', 'a2', null], b: ['b1', null] } as const;
    const countries = ['PL', 'DE', 'FR'];
    const days = ['2024-01-05', '2024-02-10', '2024-03-15', '2024-04-20'];
    const em = t.em();
    // 36 clients covering every value of every filter in many combinations (a fixed pattern, no randomness).
    for (let index = 0; index < 36; index++) {
      const category = ([null, 'a', 'b'] as const)[index % 3] ?? null;
      const sub = category ? (subsOf[category][Math.floor(index / 3) % subsOf[category].length] ?? null) : null;
      const row: Made = {
        id: 0,
        name: `Filt ${String(index).padStart(2, '0')}`,
        status: index % 4 === 0 ? 'inactive' : 'active',
        category,
        sub,
        country: countries[index % countries.length] ?? 'PL',
        day: days[Math.floor(index / 2) % days.length] ?? '2024-01-05',
        project: index % 5 === 0,
        contract: index % 3 === 1 ? 'x' : index % 7 === 2 ? 'y' : null,
      };
      row.id = (
        await admin.api.clients.create.mutate({
          name: row.name,
          status: row.status,
          categoryId: category ? lookup[category] : null,
          subcategoryId: sub ? lookup[sub] : null,
          country: row.country,
        })
      ).id;
      await em.nativeUpdate(Client, { id: row.id }, { createdAt: new Date(`${row.day}T12:00:00Z`) });
      if (row.project) projectId = (await admin.api.projects.add.mutate({ clientId: row.id, name: 'Shared' })).id;
      if (row.contract) {
        em.create(Contract, { clientId: row.id, typeId: lookupId(row.contract), subject: 'S', createdAt: new Date() });
      }
      made.push(row);
    }
    await em.flush();
  });

  type Filter = Partial<
    Record<'status' | 'category' | 'sub' | 'country' | 'from' | 'to' | 'project' | 'contract', string>
  >;

  function expected(filter: Filter): number[] {
    return made
      .filter(
        (row) =>
          (!filter.status || row.status === filter.status) &&
          (!filter.category || row.category === filter.category) &&
          (!filter.sub || row.sub === filter.sub) &&
          (!filter.country || row.country === filter.country) &&
          (!filter.from || row.day >= filter.from) &&
          (!filter.to || row.day <= filter.to) &&
          // Only the last client with a project keeps the one we filter by (each add makes a new project).
          (!filter.project || row.id === made.filter((made) => made.project).at(-1)?.id) &&
          (!filter.contract || row.contract === filter.contract),
      )
      .map((row) => row.id);
  }

  function input(filter: Filter): ClientListInput {
    return {
      search: 'filt',
      sort: 'name',
      direction: 'asc',
      pageSize: 100,
      ...(filter.status ? { status: filter.status as 'active' | 'inactive' } : {}),
      ...(filter.category ? { categoryId: lookup[filter.category] } : {}),
      ...(filter.sub ? { subcategoryId: lookup[filter.sub] } : {}),
      ...(filter.country ? { country: filter.country } : {}),
      ...(filter.from ? { createdFrom: filter.from } : {}),
      ...(filter.to ? { createdTo: filter.to } : {}),
      ...(filter.project ? { projectId } : {}),
      ...(filter.contract ? { contractTypeId: lookup[filter.contract] } : {}),
    };
  }

  const single: Filter[] = [
    { status: 'active' },
    { status: 'inactive' },
    { category: 'a' },
    { category: 'b' },
    { sub: 'a2' },
    { sub: 'b1' },
    { country: 'DE' },
    { from: '2024-02-10' },
    { to: '2024-02-10' },
    { from: '2024-02-01', to: '2024-03-31' },
    { project: 'yes' },
    { contract: 'x' },
    { contract: 'y' },
  ];

  it('applies each filter alone', async () => {
    for (const filter of single) {
      const result = await viewer.api.clients.list.query(input(filter));
      expect(ids(result), JSON.stringify(filter)).toEqual(expected(filter));
      expect(result.total).toBe(expected(filter).length);
      expect(expected(filter).length, JSON.stringify(filter)).toBeGreaterThan(0);
    }
  });

  it('applies every pair of filters together, and a few larger combinations', async () => {
    const combos: Filter[] = [];
    for (const [index, first] of single.entries()) {
      for (const second of single.slice(index + 1)) {
        const keys = Object.keys(second);
        if (keys.some((key) => key in first)) continue;
        if ((first.category && second.sub) || (first.sub && second.category)) continue;
        combos.push({ ...first, ...second });
      }
    }
    combos.push(
      { status: 'active', category: 'a', sub: 'a1', country: 'PL' },
      { status: 'active', category: 'b', contract: 'x', from: '2024-01-01', to: '2024-12-31' },
      { country: 'FR', contract: 'x', to: '2024-03-15' },
    );
    let nonEmpty = 0;
    for (const filter of combos) {
      const result = await viewer.api.clients.list.query(input(filter));
      expect(ids(result), JSON.stringify(filter)).toEqual(expected(filter));
      expect(result.total, JSON.stringify(filter)).toBe(expected(filter).length);
      if (result.total > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(combos.length / 2);
  });

  it('refuses a sub-category of another category, naming the field', async () => {
    const error = await failure(viewer.api.clients.list.query({ categoryId: lookup.a, subcategoryId: lookup.b1 }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors?.subcategoryId?.[0]).toMatch(/B1.*Filt A/);
    // The sub-category of the chosen category, and a sub-category on its own, are fine.
    expect((await viewer.api.clients.list.query({ categoryId: lookup.b, subcategoryId: lookup.b1 })).total).toBe(
      expected({ sub: 'b1' }).length,
    );
  });
});

describe('sort and paging', () => {
  const tied: number[] = [];

  beforeAll(async () => {
    // 60 clients that tie on every sort key but the id, plus a few that differ, all created "at once".
    const em = t.em();
    for (let index = 0; index < 60; index++) {
      tied.push((await admin.api.clients.create.mutate({ name: 'Tieme Same', email: null, status: 'active' })).id);
    }
    for (const [index, name] of ['Tieme Aaa', 'Tieme Zzz', 'tieme mmm'].entries()) {
      const client = await admin.api.clients.create.mutate({
        name,
        email: `${index}@tieme.test`,
        companyName: name,
        country: 'DE',
        status: index === 1 ? 'inactive' : 'active',
      });
      tied.push(client.id);
    }
    await em.nativeUpdate(Client, { id: { $in: tied } }, { createdAt: new Date('2024-06-01T10:00:00Z') });
  });

  const SORTS: ListSortField[] = ['name', 'email', 'status', 'createdAt', 'companyName', 'country'];

  for (const sort of SORTS) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`pages through ${sort} ${direction} with no duplicates and no gaps, ties in id order`, async () => {
        const query = { search: 'tieme', sort, direction } as const;
        const all = await viewer.api.clients.list.query({ ...query, pageSize: 100 });
        expect(all.total).toBe(63);
        const paged: number[] = [];
        for (let page = 1; page <= 3; page++) {
          const result = await viewer.api.clients.list.query({ ...query, page, pageSize: 25 });
          expect(result.total).toBe(63);
          paged.push(...ids(result));
        }
        expect(paged).toEqual(ids(all));
        expect(new Set(paged).size).toBe(63);
        // Within the 60 tied clients the id decides, in the sort's direction.
        const tiedOrder = paged.filter((id) => tied.slice(0, 60).includes(id));
        const byId = [...tiedOrder].sort((a, b) => (direction === 'asc' ? a - b : b - a));
        expect(tiedOrder).toEqual(byId);
        const names = all.items.map((item) => foldForSearch(item.name));
        if (sort === 'name')
          expect(names).toEqual(
            [...names].sort((a, b) => (direction === 'asc' ? a.localeCompare(b) : b.localeCompare(a))),
          );
      });
    }
  }

  it('answers an empty page past the end, with the total', async () => {
    const result = await viewer.api.clients.list.query({ search: 'tieme', page: 10, pageSize: 25 });
    expect(result).toEqual({ items: [], total: 63 });
  });
});

describe('who sees what', () => {
  it('shows a portal client only its own card, whatever it searches', async () => {
    const own = await admin.api.clients.create.mutate({ name: 'Portal Own Card', loginAllowed: true });
    await admin.api.clients.create.mutate({ name: 'Portal Other Card' });
    const portal = await t.as('client', { clientId: own.id });
    expect(ids(await portal.api.clients.list.query({ search: 'portal' }))).toEqual([own.id]);
    expect(ids(await portal.api.clients.list.query({ search: 'po' }))).toEqual([own.id]);
    expect((await portal.api.clients.list.query({ search: 'other card' })).total).toBe(0);
  });
});

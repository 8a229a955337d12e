import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { CSV_COLUMNS, CSV_HEADERS } from './csv';
import { exportUrl, refusal, runImport } from './csv-testing';

/** `GET /api/clients.csv`: the list's filtered set as CSV, streamed. */

let t: TestApp;
let admin: SignedIn;
let viewer: SignedIn;
let retail = 0;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  viewer = await t.as('viewer');
  retail = (await admin.api.lookups.createCategory.mutate({ name: 'Retail, "Shops"' })).id;
});

afterAll(async () => {
  await t?.close();
});

async function download(as: SignedIn | null, params: Record<string, string | number> = {}) {
  return fetch(exportUrl(t.url, params), { headers: as ? { cookie: as.cookie } : {} });
}

/** The file's records (header first), read back by an independent CSV parser. */
async function records(response: Response): Promise<{ bytes: Buffer; rows: string[][] }> {
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  return { bytes, rows: parse(bytes, { bom: true, relax_column_count: false }) as string[][] };
}

const column = (rows: string[][], name: (typeof CSV_COLUMNS)[number]) => {
  const index = CSV_COLUMNS.indexOf(name);
  return rows.slice(1).map((row) => row[index]);
};

describe('the file', () => {
  let tricky = 0;

  beforeAll(async () => {
    tricky = (
      await admin.api.clients.create.mutate({
        name: 'Expo Łucja "Lu" Nowak, Jr.',
        email: 'lucja@expo.test',
        country: 'PL',
        mobile: '+48 601 234 567',
        categoryId: retail,
        companyName: '=HYPERLINK("http://evil.example","click")',
        city: '-2+3',
        state: '@SUM(A1)',
        companyAddress: 'ul. Długa 1\r\n00-001 Warszawa',
        shippingAddress: 'line one\nline two; with semicolon',
        taxName: '+48',
        emailNotifications: false,
      })
    ).id;
  });

  it('is UTF-8 with a BOM, English headers by default, CRLF line ends, every API field', async () => {
    const response = await download(viewer, { search: 'expo' });
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="clients-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const { bytes, rows } = await records(response);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(rows[0]).toEqual(CSV_COLUMNS.map((key) => CSV_HEADERS[key].en));
    expect(rows[0]).toContain('Full name');
    expect(rows[0]).toContain('Electronic address scheme');
    expect(bytes.toString('utf8')).toMatch(/,Version\r\n/);
    expect(rows).toHaveLength(2);
  });

  it('has Polish headers with lang=pl', async () => {
    const { rows } = await records(await download(viewer, { search: 'expo', lang: 'pl' }));
    expect(rows[0]).toEqual(CSV_COLUMNS.map((key) => CSV_HEADERS[key].pl));
    expect(rows[0]).toContain('Imię i nazwisko');
    expect(rows[0]).toContain('Numer podatkowy');
  });

  it('quotes by RFC 4180 so every value reads back exactly, with names beside ids', async () => {
    const { rows } = await records(await download(viewer, { search: 'expo' }));
    const client = await viewer.api.clients.get.query({ id: tricky });
    expect(column(rows, 'id')).toEqual([String(tricky)]);
    expect(column(rows, 'name')).toEqual(['Expo Łucja "Lu" Nowak, Jr.']);
    expect(column(rows, 'companyAddress')).toEqual(['ul. Długa 1\r\n00-001 Warszawa']);
    expect(column(rows, 'shippingAddress')).toEqual(['line one\nline two; with semicolon']);
    expect(column(rows, 'category')).toEqual(['Retail, "Shops"']);
    expect(column(rows, 'categoryId')).toEqual([String(retail)]);
    expect(column(rows, 'emailNotifications')).toEqual(['false']);
    expect(column(rows, 'loginAllowed')).toEqual(['false']);
    expect(column(rows, 'createdAt')).toEqual([client.createdAt.toISOString()]);
    expect(column(rows, 'addedBy')).toEqual(['Administrator']);
    expect(column(rows, 'version')).toEqual([String(client.version)]);
    expect(column(rows, 'salutation')).toEqual(['']);
  });

  it('puts an apostrophe before a cell a spreadsheet would run as a formula (= + - @)', async () => {
    const { rows } = await records(await download(viewer, { search: 'expo' }));
    expect(column(rows, 'companyName')).toEqual(['\'=HYPERLINK("http://evil.example","click")']);
    expect(column(rows, 'city')).toEqual(["'-2+3"]);
    expect(column(rows, 'state')).toEqual(["'@SUM(A1)"]);
    expect(column(rows, 'mobile')).toEqual(["'+48601234567"]);
    expect(column(rows, 'taxName')).toEqual(["'+48"]);
    expect(column(rows, 'email')).toEqual(['lucja@expo.test']);
  });
});

describe('what is exported', () => {
  beforeAll(async () => {
    const lines = ['Full name,E-mail,Status,Country'];
    for (let index = 0; index < 2600; index++) {
      const email = index % 3 === 0 ? '' : `big${index}@expo-big.test`;
      lines.push(
        `Big Export ${index % 7},${email},${index % 4 === 0 ? 'inactive' : 'active'},${index % 2 ? 'DE' : 'PL'}`,
      );
    }
    const { done } = await runImport(t.url, admin.cookie, { body: `${lines.join('\n')}\n` });
    expect(done.created).toBe(2600);
  });

  /** Every id of the list for this query, page by page, in the list's order. */
  async function listIds(query: Record<string, string | number>): Promise<number[]> {
    const ids: number[] = [];
    for (let page = 1; ; page++) {
      const result = await viewer.api.clients.list.query({ ...query, page, pageSize: 100 } as never);
      ids.push(...result.items.map((item) => item.id));
      if (result.items.length < 100) return ids;
    }
  }

  it('streams a large export in chunks, every matching row once, in the list order', async () => {
    const response = await download(viewer, { search: 'big export' });
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(response.headers.get('content-length')).toBeNull();
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    const chunks: Uint8Array[] = [];
    for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
    expect(chunks.length).toBeGreaterThan(1);
    const rows = parse(Buffer.concat(chunks), { bom: true }) as string[][];
    expect(rows.length - 1).toBe(2600);
    expect(column(rows, 'id').map(Number)).toEqual(await listIds({ search: 'big export' }));
  });

  it('keeps the list order across its batches for every sort, empty values included', async () => {
    for (const [sort, direction] of [
      ['email', 'desc'],
      ['email', 'asc'],
      ['name', 'asc'],
      ['status', 'desc'],
      ['country', 'asc'],
    ] as const) {
      const query = { search: 'big export', sort, direction };
      const { rows } = await records(await download(viewer, query));
      const exported = column(rows, 'id').map(Number);
      expect(new Set(exported).size, `${sort} ${direction}`).toBe(2600);
      expect(exported, `${sort} ${direction}`).toEqual(await listIds(query));
    }
  });

  it('respects the filters, ignores the page, and exports nothing when nothing matches', async () => {
    const query = { search: 'big export 3', status: 'inactive', country: 'PL', page: 4, pageSize: 25 };
    const { rows } = await records(await download(viewer, query));
    const expected = await listIds({ search: 'big export 3', status: 'inactive', country: 'PL' });
    expect(expected.length).toBeGreaterThan(10);
    expect(column(rows, 'id').map(Number)).toEqual(expected);
    for (const status of column(rows, 'status')) expect(status).toBe('inactive');
    const none = await records(await download(viewer, { search: 'no such client anywhere' }));
    expect(none.rows).toHaveLength(1);
  });
});

describe('who may export, and bad requests', () => {
  it('needs a session', async () => {
    const { status, body } = await refusal(await download(null));
    expect(status).toBe(401);
    expect(body.error.code).toBe('UNAUTHORIZED');
  });

  it('gives a portal client only its own card', async () => {
    const own = await admin.api.clients.create.mutate({ name: 'Expo Portal Own', loginAllowed: true });
    const portal = await t.as('client', { clientId: own.id });
    const { rows } = await records(await download(portal));
    expect(column(rows, 'id')).toEqual([String(own.id)]);
  });

  it('refuses a bad filter, an unknown parameter or language, and a repeated parameter, naming it', async () => {
    for (const [params, field] of [
      [{ country: 'XX' }, 'country'],
      [{ createdFrom: '1 May' }, 'createdFrom'],
      [{ categoryId: 'abc' }, 'categoryId'],
      [{ sort: 'password' }, 'sort'],
      [{ colour: 'red' }, 'input'],
      [{ lang: 'de' }, 'lang'],
    ] as const) {
      const { status, body } = await refusal(await download(viewer, params));
      expect(status, JSON.stringify(params)).toBe(400);
      expect(body.error.field, JSON.stringify(params)).toBe(field);
      expect(body.error.message.length).toBeGreaterThan(5);
    }
    const repeated = await fetch(`${t.url}/api/clients.csv?status=active&status=inactive`, {
      headers: { cookie: viewer.cookie },
    });
    expect((await refusal(repeated)).body.error.field).toBe('status');
  });
});

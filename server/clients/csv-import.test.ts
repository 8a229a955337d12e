import { once } from 'node:events';
import { type IncomingMessage, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvErrorMessage, type ImportEvent, isCsvErrorCode } from '../../shared/client-csv';
import { EDITABLE_CLIENT_FIELDS } from '../../shared/client-fields';
import { ClientEvent } from '../activity/entity';
import { ADMIN, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { exportUrl, postImport, preview, refusal, runImport } from './csv-testing';
import { Client } from './entity';
import { IMPORT_BATCH_SIZE } from './import';

/** `POST /api/clients/import`: preview with the suggested mapping, dry run, import, upsert, bad files. */

let t: TestApp;
let admin: SignedIn;
let manager: SignedIn;
let retail = 0;
let shops = 0;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  manager = await t.as('manager');
  retail = (await admin.api.lookups.createCategory.mutate({ name: 'Retail' })).id;
  shops = (await admin.api.lookups.createSubcategory.mutate({ categoryId: retail, name: 'Shops' })).id;
});

afterAll(async () => {
  await t?.close();
});

async function counts() {
  const em = t.em();
  return { clients: await em.count(Client, {}), events: await em.count(ClientEvent, {}) };
}

async function byName(name: string) {
  return t.em().findOne(Client, { name, deletedAt: null });
}

describe('preview', () => {
  it('maps English headers, Polish headers and API names, and shows the first rows', async () => {
    const english = await preview(
      t.url,
      manager.cookie,
      'Full name,E-mail,Company name,Tax number,Category,Category ID,Created at,Notes\nA,a@x.test,Co,123,Retail,1,2024-01-01,hi\n',
    );
    expect(english.mapping).toEqual({
      'Full name': 'name',
      'E-mail': 'email',
      'Company name': 'companyName',
      'Tax number': 'taxNumber',
      // Given both ways, the category goes by name (it means the same in any database); the id is left out.
      Category: 'category',
      'Category ID': null,
      // Known, but not something an import sets.
      'Created at': null,
      Notes: null,
    });
    expect(english.rows).toEqual([['A', 'a@x.test', 'Co', '123', 'Retail', '1', '2024-01-01', 'hi']]);
    expect(english.rowCount).toBe(1);
    expect(english.targets).toContain('electronicAddressScheme');

    const polish = await preview(
      t.url,
      manager.cookie,
      'Imię i nazwisko;Adres e-mail;Nazwa firmy;NIP;Telefon komórkowy;Kod pocztowy;Podkategoria\nJan;j@x.pl;Firma;1;601;00-001;Sklepy\n',
    );
    expect(polish.delimiter).toBe(';');
    expect(polish.mapping).toEqual({
      'Imię i nazwisko': 'name',
      'Adres e-mail': 'email',
      'Nazwa firmy': 'companyName',
      NIP: 'taxNumber',
      'Telefon komórkowy': 'mobile',
      'Kod pocztowy': 'postalCode',
      Podkategoria: 'subcategory',
    });

    const api = await preview(t.url, manager.cookie, 'name\temail\telectronicAddressScheme\nA\ta@x.test\t0088\n');
    expect(api.delimiter).toBe('\t');
    expect(api.mapping).toEqual({ name: 'name', email: 'email', electronicAddressScheme: 'electronicAddressScheme' });
  });
});

const FILE = [
  'Full name,E-mail,Mobile phone,Country,Category,Sub-category,Status,Login allowed',
  'Imp Good One,good1@imp.test,601 234 567,PL,Retail,Shops,active,false',
  'Imp Bad Mail,not-an-email,,PL,,,,',
  'Imp Good Two,good2@imp.test,,DE,,,inactive,',
  'Imp Bad Many,,12,XX,Nowhere,,sleeping,maybe',
  ',nameless@imp.test,,,,,,',
  'Imp Bad Sub,,,,Retail,Bulk,,',
  'Imp Formula,"=cmd",,,,,,',
  'Imp Portal,portal@imp.test,,,,,,true',
].join('\r\n');

describe('dry run and import', () => {
  it('dry run reports every row error with its field and reason, and changes nothing', async () => {
    const before = await counts();
    const { events, done, rowErrors } = await runImport(t.url, manager.cookie, { mode: 'dry-run', body: FILE });
    expect(events[0]).toMatchObject({ type: 'start', mode: 'dry-run', rows: 8 });
    expect(done).toMatchObject({ rows: 8, processed: 8, created: 2, updated: 0, unchanged: 0, skipped: 6 });
    const errors = Object.fromEntries(
      rowErrors.map((event) => (event.type === 'rowError' ? [event.row, event.errors] : [0, {}])),
    );
    expect(Object.keys(errors).map(Number)).toEqual([2, 4, 5, 6, 7, 8]);
    expect(errors[2]).toEqual({ email: ['E-mail must be an e-mail address like name@example.com.'] });
    // (The mobile number "12" is checked against the country once the country is valid.)
    expect(Object.keys(errors[4] ?? {}).sort()).toEqual(['categoryId', 'country', 'loginAllowed', 'status']);
    expect(errors[4]?.categoryId?.[0]).toMatch(/no entry named "Nowhere"/);
    expect(errors[4]?.country?.[0]).toMatch(/"XX"/);
    expect(errors[5]).toEqual({ name: ['Full name is required.'] });
    expect(errors[6]?.subcategoryId?.[0]).toMatch(/"Bulk"/);
    expect(errors[7]?.email).toBeDefined();
    // A manager may not let a client sign in: that is the administrators' decision.
    expect(errors[8]?.loginAllowed?.[0]).toMatch(/administrator/);
    expect(rowErrors[0]).toMatchObject({ row: 2, line: 3 });
    expect(await counts()).toEqual(before);
  });

  it('imports the good rows, one client.created event each, skips the bad ones whole', async () => {
    const before = await counts();
    const { done, rowErrors } = await runImport(t.url, manager.cookie, { body: FILE });
    expect(done).toMatchObject({ created: 2, skipped: 6 });
    expect(rowErrors).toHaveLength(6);
    const after = await counts();
    expect(after.clients - before.clients).toBe(2);
    expect(after.events - before.events).toBe(2);
    const one = await byName('Imp Good One');
    expect(one).toMatchObject({
      email: 'good1@imp.test',
      mobile: '+48601234567',
      categoryId: retail,
      subcategoryId: shops,
      status: 'active',
      loginAllowed: false,
    });
    expect((await byName('Imp Good Two'))?.status).toBe('inactive');
    // Nothing of a refused row goes in, not even its valid fields.
    expect(await byName('Imp Bad Mail')).toBeNull();
    expect(await byName('Imp Bad Many')).toBeNull();
    const [event] = await t.em().find(ClientEvent, { clientId: one?.id });
    expect(event).toMatchObject({ type: 'client.created' });
    expect(event?.changes.email).toEqual({ before: null, after: 'good1@imp.test' });
    // Imported clients are found by the search at once.
    expect((await manager.api.clients.list.query({ search: 'imp good' })).total).toBe(2);
  });

  it('lets an administrator import a client that may sign in', async () => {
    const { done } = await runImport(t.url, admin.cookie, {
      body: 'Full name,E-mail,Login allowed\nImp Admin Portal,admin-portal@imp.test,yes\n',
    });
    expect(done.created).toBe(1);
    expect((await byName('Imp Admin Portal'))?.loginAllowed).toBe(true);
  });

  it('refuses an e-mail another client has, or that an earlier row of the file has', async () => {
    const { done, rowErrors } = await runImport(t.url, manager.cookie, {
      body: 'Name,Email\nImp Dup A,good1@imp.test\nImp Dup B,fresh@imp.test\nImp Dup C,FRESH@imp.test\n',
    });
    expect(done).toMatchObject({ created: 1, skipped: 2 });
    const messages = rowErrors.map((event) => (event.type === 'rowError' ? event.errors.email?.[0] : ''));
    expect(messages[0]).toMatch(/already used by client “Imp Good One”/);
    expect(messages[1]).toMatch(/also on row 2/);
  });

  it('reads a multipart upload and pasted text/plain the same way, and reports progress per batch', async () => {
    const rows = Array.from({ length: IMPORT_BATCH_SIZE * 2 + 10 }, (_, index) => `Imp Batch ${index}`);
    const { events, done } = await runImport(t.url, manager.cookie, {
      body: { multipart: `Full name\n${rows.join('\n')}\n` },
    });
    expect(done.created).toBe(rows.length);
    const progress = events.filter(
      (event): event is Extract<ImportEvent, { type: 'progress' }> => event.type === 'progress',
    );
    expect(progress.map((event) => event.processed)).toEqual([IMPORT_BATCH_SIZE, IMPORT_BATCH_SIZE * 2, rows.length]);
    const pasted = await runImport(t.url, manager.cookie, {
      body: 'Full name\nImp Pasted\n',
      contentType: 'text/plain; charset=utf-8',
    });
    expect(pasted.done.created).toBe(1);
  });
});

describe('upsert', () => {
  it('by e-mail updates the matching client (only the mapped columns), one event, and adds the rest', async () => {
    const existing = await admin.api.clients.create.mutate({
      name: 'Ups Mail',
      email: 'ups@mail.test',
      city: 'Kraków',
      companyName: 'Old Co',
    });
    const same = await admin.api.clients.create.mutate({
      name: 'Ups Same',
      email: 'same@mail.test',
      companyName: 'Same Co',
    });
    const before = await counts();
    const body =
      'E-mail,Full name,Company name\nUPS@mail.test,Ups Mail,New Co\nsame@mail.test,Ups Same,Same Co\nnew@mail.test,Ups New,X\n';
    const dry = await runImport(t.url, manager.cookie, { mode: 'dry-run', upsert: 'email', body });
    expect(dry.done).toMatchObject({ created: 1, updated: 1, unchanged: 1, skipped: 0 });
    expect(await counts()).toEqual(before);

    const { done } = await runImport(t.url, manager.cookie, { upsert: 'email', body });
    expect(done).toMatchObject({ created: 1, updated: 1, unchanged: 1, skipped: 0 });
    const updated = await manager.api.clients.get.query({ id: existing.id });
    expect(updated).toMatchObject({ companyName: 'New Co', city: 'Kraków', name: 'Ups Mail' });
    const events = await t.em().find(ClientEvent, { clientId: existing.id }, { orderBy: { seq: 'asc' } });
    expect(events.at(-1)).toMatchObject({
      type: 'client.updated',
      changes: { companyName: { before: 'Old Co', after: 'New Co' } },
    });
    expect(await t.em().count(ClientEvent, { clientId: same.id })).toBe(1);
    expect((await counts()).clients - before.clients).toBe(1);
  });

  it('by tax number matches it with or without separators, and refuses a number several clients share', async () => {
    const spaced = await admin.api.clients.create.mutate({ name: 'Ups Tax', taxNumber: 'PL 526-025-02-74' });
    await admin.api.clients.create.mutate({ name: 'Ups Twin One', taxNumber: '1111111111' });
    await admin.api.clients.create.mutate({ name: 'Ups Twin Two', taxNumber: '111-111-11-11' });
    const { done, rowErrors } = await runImport(t.url, manager.cookie, {
      upsert: 'taxNumber',
      body: 'Tax number,Full name,City\npl5260250274,Ups Tax,Gdańsk\n1111111111,Ups Twin,Opole\n',
    });
    expect(done).toMatchObject({ updated: 1, skipped: 1, created: 0 });
    expect(await manager.api.clients.get.query({ id: spaced.id })).toMatchObject({
      city: 'Gdańsk',
      taxNumber: 'pl5260250274',
    });
    const [error] = rowErrors;
    expect(error?.type === 'rowError' && error.errors.taxNumber?.[0]).toMatch(/matches 2 clients/);
  });
});

describe('round trip', () => {
  it('an export imported into a fresh database gives the same clients', async () => {
    const source = await admin.api.clients.create.mutate({
      salutation: 'dr',
      name: 'Trip Zofia "Zosia" Żak, PhD',
      email: 'zofia@trip.test',
      country: 'PL',
      mobile: '+48 601 234 567',
      gender: 'female',
      language: 'pl',
      categoryId: retail,
      subcategoryId: shops,
      status: 'inactive',
      companyName: '=Trip; "Co"',
      website: 'trip.example.com',
      taxName: 'NIP',
      taxNumber: '5260250274',
      officePhone: '+48 22 123 45 67',
      city: 'Łódź',
      state: 'łódzkie',
      postalCode: '90-001',
      companyAddress: 'ul. Piotrkowska 1\n90-001 Łódź',
      shippingAddress: '-',
      electronicAddressScheme: '9945',
      electronicAddress: 'PL5260250274',
      loginAllowed: true,
      emailNotifications: false,
    });
    const other = await admin.api.clients.create.mutate({ name: 'Trip Plain', email: 'plain@trip.test' });
    const exported = Buffer.from(
      await (
        await fetch(exportUrl(t.url, { search: 'trip', lang: 'pl' }), { headers: { cookie: admin.cookie } })
      ).arrayBuffer(),
    );

    const fresh = await startTestApp();
    try {
      const freshAdmin = await fresh.signIn(ADMIN.email, ADMIN.password);
      const category = await freshAdmin.api.lookups.createCategory.mutate({ name: 'Retail' });
      await freshAdmin.api.lookups.createSubcategory.mutate({ categoryId: category.id, name: 'Shops' });
      const { done } = await runImport(fresh.url, freshAdmin.cookie, { body: exported });
      expect(done).toMatchObject({ created: 2, skipped: 0 });
      for (const original of [source, other]) {
        const [copy] = (await freshAdmin.api.clients.list.query({ search: original.email ?? '' })).items;
        if (!copy) throw new Error(`${original.name} was not imported`);
        const imported = await freshAdmin.api.clients.get.query({ id: copy.id });
        for (const field of EDITABLE_CLIENT_FIELDS) {
          if (field === 'categoryId' || field === 'subcategoryId') continue;
          expect(imported[field], field).toEqual(original[field]);
        }
        expect(imported.categoryId === null).toBe(original.categoryId === null);
      }
    } finally {
      await fresh.close();
    }
  });
});

/** An import request written by hand, so a test decides how (and whether) its body ends. */
function rawImport(headers: Record<string, string>) {
  const { hostname, port } = new URL(t.url);
  return request({
    host: hostname,
    port,
    method: 'POST',
    path: '/api/clients/import?mode=dry-run',
    headers: { cookie: manager.cookie, 'x-kartoteka-csrf': '1', 'content-type': 'text/csv', ...headers },
  });
}

async function text(stream: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of stream) body += chunk;
  return body;
}

describe('refused files and requests', () => {
  async function refused(call: Parameters<typeof postImport>[2], as: SignedIn = manager) {
    const before = await counts();
    const answer = await refusal(await postImport(t.url, as.cookie, call));
    expect(await counts()).toEqual(before);
    return answer;
  }

  it('refuses files that are not UTF-8 CSV text, saying why', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Full name\nAnna\n', 'utf16le')]);
    expect(await refused({ mode: 'import', body: utf16 })).toMatchObject({
      status: 415,
      body: { error: { code: 'ENCODING' } },
    });
    const cp1250 = Buffer.concat([
      Buffer.from('Full name\nAnna\n'),
      Buffer.from([0xa3, 0xf3, 0x64, 0x9f]),
      Buffer.from('\n'),
    ]);
    const latin = await refused({ mode: 'dry-run', body: cp1250 });
    expect(latin.status).toBe(415);
    expect(latin.body.error).toMatchObject({ code: 'ENCODING', field: 'file' });
    expect(latin.body.error.message).toMatch(/line 3/);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect((await refused({ mode: 'preview', body: png })).body.error.code).toBe('BINARY');
    const xlsx = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(100, 1)]);
    const excel = await refused({ mode: 'preview', body: xlsx });
    expect(excel.body.error.message).toMatch(/Excel/);
    expect(excel.status).toBe(415);
  });

  it('refuses an empty file, a header without rows, ragged rows, broken quotes and a repeated header', async () => {
    expect((await refused({ mode: 'import', body: '' })).body.error.code).toBe('EMPTY');
    expect((await refused({ mode: 'import', body: 'Full name,E-mail\r\n' })).body.error.code).toBe('NO_ROWS');
    expect((await refused({ mode: 'import', body: 'Full name,E-mail\r\n,,\r\n' })).body.error.code).toBe('NO_ROWS');
    const ragged = await refused({ mode: 'import', body: 'Full name,E-mail\nA,a@x.test\nB\nC,c@x.test,extra\n' });
    expect(ragged.status).toBe(400);
    expect(ragged.body.error).toMatchObject({ code: 'RAGGED', field: 'file' });
    expect(ragged.body.error.message).toMatch(/2 row\(s\).*\(2\).*line 3 has 1/);
    // The browser words it in the user's language from the code and its params.
    const { code, params = {} } = ragged.body.error;
    expect(isCsvErrorCode(code) && csvErrorMessage(code, params, 'pl')).toMatch(/Wiersze \(2\).*\(2\).*wiersz 3 ma 1/);
    const quotes = await refused({ mode: 'import', body: 'Full name\n"Anna "the" Nowak"\n' });
    expect(quotes.body.error.code).toBe('MALFORMED');
    expect(quotes.body.error.message).toMatch(/line 2/);
    expect((await refused({ mode: 'preview', body: 'Name,Name\nA,B\n' })).body.error.code).toBe('DUPLICATE_HEADER');
  });

  it('refuses a file over 50 MB while it is still being sent, and one that announces it is', async () => {
    const before = await counts();
    // Sent without a length, and never finished: only a server that counts while receiving answers at all.
    const sending = rawImport({ 'transfer-encoding': 'chunked' });
    sending.on('error', () => {}); // the server hangs up once it has answered; writes after that fail, as expected
    const answered = once(sending, 'response') as Promise<[IncomingMessage]>;
    sending.write(Buffer.concat([Buffer.from('Full name\n'), Buffer.alloc(51 * 1024 * 1024, 'a\n')]));
    const [answer] = await answered;
    const body = JSON.parse(await text(answer)) as { error: { code: string; field: string; message: string } };
    sending.destroy();
    expect(answer.statusCode).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(body.error).toMatchObject({ code: 'TOO_LARGE', field: 'file' });
    expect(body.error.message).toMatch(/50 MB/);

    const announced = rawImport({ 'content-length': String(60 * 1024 * 1024) });
    announced.on('error', () => {});
    announced.flushHeaders();
    const [early] = (await once(announced, 'response')) as [IncomingMessage];
    announced.destroy();
    expect(early.statusCode).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it('refuses a mapping it cannot run', async () => {
    const body = 'Full name,E-mail\nAnna,anna@map.test\n';
    const cases = [
      [{ mapping: { Nope: 'name' } }, 'MAPPING_UNKNOWN_HEADER'],
      [{ mapping: { 'Full name': 'password' } }, 'MAPPING_UNKNOWN_TARGET'],
      [{ mapping: { 'Full name': 'name', 'E-mail': 'name' } }, 'MAPPING_TWICE'],
      [{ mapping: { 'E-mail': 'email' } }, 'MAPPING_NO_NAME'],
      [{ mapping: { 'Full name': 'name' }, upsert: 'email' }, 'MAPPING_UPSERT_KEY'],
      [{ upsert: 'taxNumber' }, 'MAPPING_UPSERT_KEY'],
    ] as const;
    for (const [call, code] of cases) {
      const answer = await refused({ mode: 'import', body, ...call });
      expect(answer.body.error, code).toMatchObject({ code, field: 'mapping' });
    }
    const notJson = await fetch(`${t.url}/api/clients/import?mode=import&mapping=%7Bnope`, {
      method: 'POST',
      headers: { cookie: manager.cookie, 'x-kartoteka-csrf': '1', 'content-type': 'text/csv' },
      body,
    });
    expect((await refusal(notJson)).body.error.code).toBe('MAPPING_NOT_JSON');
    // A mapping that leaves a column out imports without it.
    const { done } = await runImport(t.url, manager.cookie, { body, mapping: { 'Full name': 'name', 'E-mail': null } });
    expect(done.created).toBe(1);
    expect((await byName('Anna'))?.email ?? null).toBeNull();
  });

  it('refuses a missing or unknown mode, a wrong content type, and requests without the CSRF header', async () => {
    const noMode = await fetch(`${t.url}/api/clients/import`, {
      method: 'POST',
      headers: { cookie: manager.cookie, 'x-kartoteka-csrf': '1', 'content-type': 'text/csv' },
      body: 'Full name\nA\n',
    });
    expect((await refusal(noMode)).body.error).toMatchObject({ code: 'BAD_PARAMETER', field: 'mode' });
    const json = await refused({ mode: 'import', body: '{"name":"A"}', contentType: 'application/json' });
    expect(json).toMatchObject({ status: 415, body: { error: { code: 'NOT_CSV' } } });
    const csrf = await refused({ mode: 'import', body: 'Full name\nA\n', csrf: false });
    expect(csrf).toMatchObject({ status: 403, body: { error: { code: 'CSRF' } } });
  });

  it('is for managers and administrators (clients.bulk)', async () => {
    const agent = await t.as('agent');
    const answer = await refused({ mode: 'preview', body: 'Full name\nA\n' }, agent);
    expect(answer).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const anonymous = await refusal(
      await fetch(`${t.url}/api/clients/import?mode=preview`, {
        method: 'POST',
        headers: { 'x-kartoteka-csrf': '1', 'content-type': 'text/csv' },
        body: 'Full name\nA\n',
      }),
    );
    expect(anonymous).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
  });
});

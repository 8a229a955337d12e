import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { NAME_SIMILARITY, similarity } from './duplicates';

let t: TestApp;
let agent: SignedIn;
let jan: number;
let firma: number;

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.signIn(ADMIN.email, ADMIN.password);
  agent = await t.as('agent');
  jan = (await agent.api.clients.create.mutate({ name: 'Jan Kowalski', email: 'jan@dupe.example' })).id;
  firma = (
    await agent.api.clients.create.mutate({
      name: 'Ewa Lis',
      companyName: 'Zakład Ślusarski Żuraw',
      country: 'PL',
      taxNumber: '526-000-12-46',
    })
  ).id;
  await agent.api.clients.create.mutate({ name: 'Jan Nowak' });
  const gone = await agent.api.clients.create.mutate({ name: 'Jan Kowalsky', email: 'gone@dupe.example' });
  await admin.api.clients.delete.mutate({ ids: [gone.id] });
});

afterAll(async () => {
  await t?.close();
});

const find = (input: Parameters<SignedIn['api']['clients']['findDuplicates']['query']>[0]) =>
  agent.api.clients.findDuplicates.query(input);

describe('possible duplicates of a new client', () => {
  it('finds the same e-mail, whatever its case', async () => {
    const found = await find({ email: 'JAN@dupe.example' });
    expect(found).toEqual([
      {
        id: jan,
        name: 'Jan Kowalski',
        companyName: null,
        email: 'jan@dupe.example',
        taxNumber: null,
        reasons: ['email'],
      },
    ]);
  });

  it('finds the same tax number written another way', async () => {
    for (const taxNumber of ['PL5260001246', '526 000 12 46']) {
      const found = await find({ taxNumber, country: 'PL' });
      expect(found.map((client) => [client.id, client.reasons])).toEqual([[firma, ['taxNumber']]]);
    }
  });

  it('finds a very close name, ignoring case, accents and extra spaces, but not a different surname', async () => {
    for (const name of ['Jan Kowalsky', 'JAN  KOWALSKI', 'Jàn Kowalski']) {
      expect((await find({ name })).map((client) => client.id)).toEqual([jan]);
    }
    expect(await find({ name: 'Piotr Wiśniewski' })).toEqual([]);
    const nowak = await find({ name: 'Jan Nowak' });
    expect(nowak.map((client) => client.name)).toEqual(['Jan Nowak']);
  });

  it('compares company names too, and never lists deleted clients or the client itself', async () => {
    const found = await find({ companyName: 'Zaklad Slusarski Zuraw' });
    expect(found.map((client) => [client.id, client.reasons])).toEqual([[firma, ['companyName']]]);
    expect(await find({ email: 'gone@dupe.example' })).toEqual([]);
    expect(await find({ email: 'jan@dupe.example', excludeId: jan })).toEqual([]);
  });

  it('is for staff who create clients', async () => {
    const viewer = await t.as('viewer');
    expect((await failure(viewer.api.clients.findDuplicates.query({ name: 'Jan' }))).code).toBe('FORBIDDEN');
  });
});

describe('name similarity', () => {
  it('scores one typo high and different names low', () => {
    expect(similarity('jan kowalski', 'jan kowalsky')).toBeGreaterThan(0.9);
    expect(similarity('jan nowak', 'jan kowalski')).toBeLessThan(NAME_SIMILARITY);
    expect(similarity('abc', 'abc')).toBe(1);
    expect(similarity('', 'abc')).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { maxEdits, NAME_SIMILARITY, nameSimilarity, probesFor, similarity } from './duplicates';

let t: TestApp;
let admin: SignedIn;
let agent: SignedIn;
let jan: number;
let firma: number;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
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

  it('finds a name written surname first', async () => {
    expect((await find({ name: 'Kowalski Jan' })).map((client) => [client.id, client.reasons])).toEqual([
      [jan, ['name']],
    ]);
  });

  it('still finds the close name among many clients sharing its fragments', async () => {
    // Enough look-alikes to crowd out a search that reads only the first hundred hits.
    for (let index = 0; index < 120; index++) {
      await agent.api.clients.create.mutate({ name: `Adam Kowalczyk ${index}`, companyName: 'Kowalski Trade' });
    }
    expect((await find({ name: 'Jan Kowalsky' })).map((client) => client.id)).toEqual([jan]);
  });

  it('answers the strongest matches first: e-mail, then tax number, then the closest name', async () => {
    const twin = await agent.api.clients.create.mutate({
      name: 'Jan Kowalski',
      country: 'PL',
      taxNumber: '7680002466',
    });
    const found = await find({ name: 'Jan Kowalski', email: 'jan@dupe.example', taxNumber: '768-000-24-66' });
    expect(found.slice(0, 2).map((client) => [client.id, client.reasons])).toEqual([
      [jan, ['email', 'name']],
      [twin.id, ['taxNumber', 'name']],
    ]);
  });

  it('compares company names too, and never lists deleted clients or the client itself', async () => {
    const found = await find({ companyName: 'Zaklad Slusarski Zuraw' });
    expect(found.map((client) => [client.id, client.reasons])).toEqual([[firma, ['companyName']]]);
    expect(await find({ email: 'gone@dupe.example' })).toEqual([]);
    expect(await find({ email: 'jan@dupe.example', excludeId: jan })).toEqual([]);
  });

  it('is for staff who create clients, and refuses bad input', async () => {
    const viewer = await t.as('viewer');
    expect((await failure(viewer.api.clients.findDuplicates.query({ name: 'Jan' }))).code).toBe('FORBIDDEN');
    const own = await admin.api.clients.create.mutate({ name: 'Portal Dupe', loginAllowed: true });
    const portal = await t.as('client', { clientId: own.id });
    expect((await failure(portal.api.clients.findDuplicates.query({ name: 'Jan' }))).code).toBe('FORBIDDEN');
    expect((await failure(t.anonymous().clients.findDuplicates.query({ name: 'Jan' }))).code).toBe('UNAUTHORIZED');
    expect((await failure(find({ name: 'x'.repeat(201) }))).code).toBe('BAD_REQUEST');
    expect((await failure(find({ excludeId: -1 }))).code).toBe('BAD_REQUEST');
    expect(await find({})).toEqual([]);
  });
});

describe('name similarity', () => {
  it('scores one typo high and different names low, in either word order', () => {
    expect(similarity('jan kowalski', 'jan kowalsky')).toBeGreaterThan(0.9);
    expect(similarity('jan nowak', 'jan kowalski')).toBeLessThan(NAME_SIMILARITY);
    expect(similarity('abc', 'abc')).toBe(1);
    expect(similarity('', 'abc')).toBe(0);
    expect(nameSimilarity('kowalski jan', 'jan kowalski')).toBe(1);
    expect(nameSimilarity('jan li', 'jan lu')).toBeLessThan(NAME_SIMILARITY);
  });

  it('cuts search pieces that every very close name keeps enough of', () => {
    // A fixed pseudo-random sequence, so a failure can be replayed.
    let seed = 42;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % below;
    };
    const letters = 'abcdeklmnorstwyz ';
    const names = [
      'jan kowalski',
      'agnieszka wozniak',
      'zaklad slusarski zuraw',
      'ewa lis',
      'mazowsze trade sp. z o.o.',
    ];
    for (const name of names) {
      const { pieces, need } = probesFor(name);
      expect(pieces.every((piece) => piece.length > 0 && !piece.includes(' '))).toBe(true);
      for (let trial = 0; trial < 300; trial++) {
        let other = name;
        const edits = 1 + random(maxEdits(name.length) || 1);
        for (let edit = 0; edit < edits; edit++) {
          const at = random(other.length + 1);
          const letter = letters[random(letters.length)] as string;
          const kind = random(3);
          if (kind === 0) other = other.slice(0, at) + letter + other.slice(at);
          else if (kind === 1) other = other.slice(0, at) + other.slice(at + 1);
          else other = other.slice(0, at) + letter + other.slice(at + 1);
        }
        if (similarity(name, other) < NAME_SIMILARITY) continue;
        // Word-prefix pieces (one or two letters) must start a word; longer ones may sit anywhere.
        const kept = pieces.filter((piece) =>
          piece.length < 3 ? ` ${other}`.includes(` ${piece}`) : other.includes(piece),
        );
        expect(kept.length, `${name} -> ${other}`).toBeGreaterThanOrEqual(need);
      }
    }
  });
});

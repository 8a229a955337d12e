import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { Client } from './entity';

let t: TestApp;
let admin: SignedIn;
let agent: SignedIn;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  agent = await t.as('agent');
});

afterAll(async () => {
  await t?.close();
});

async function isDeleted(id: number): Promise<boolean> {
  return (await t.em().findOneOrFail(Client, id)).deletedAt !== null;
}

describe('e-mail unique among active clients', () => {
  it('refuses a second client with the same e-mail however it is written, naming the one that has it', async () => {
    const anna = await agent.api.clients.create.mutate({ name: 'Anna Nowak', email: 'anna@unique.example' });
    const error = await failure(agent.api.clients.create.mutate({ name: 'Other', email: ' ANNA@Unique.example ' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors).toEqual({
      email: [
        `E-mail: anna@unique.example is already used by client “Anna Nowak” (#${anna.id}). Use another e-mail, or open that client.`,
      ],
    });
  });

  it('refuses changing a client to another active client’s e-mail, and keeps the stored one', async () => {
    const bea = await agent.api.clients.create.mutate({ name: 'Bea', email: 'bea@unique.example' });
    const carl = await agent.api.clients.create.mutate({ name: 'Carl', email: 'carl@unique.example' });
    const error = await failure(
      agent.api.clients.update.mutate({
        id: carl.id,
        changes: {
          email: { base: 'carl@unique.example', value: 'Bea@unique.example' },
          city: { base: null, value: 'Gdańsk' },
        },
      }),
    );
    expect(error.fieldErrors?.email).toEqual([
      `E-mail: bea@unique.example is already used by client “Bea” (#${bea.id}). Use another e-mail, or open that client.`,
    ]);
    // Nothing of the refused save is stored.
    expect(await agent.api.clients.get.query({ id: carl.id })).toMatchObject({
      email: 'carl@unique.example',
      city: null,
    });
  });

  it('lets a client keep its own e-mail, or change only its case, when other fields change', async () => {
    const eve = await agent.api.clients.create.mutate({ name: 'Eve', email: 'eve@unique.example' });
    const result = await agent.api.clients.update.mutate({
      id: eve.id,
      changes: {
        city: { base: null, value: 'Kraków' },
        email: { base: 'eve@unique.example', value: 'EVE@unique.example' },
      },
    });
    expect(result.client).toMatchObject({ city: 'Kraków', email: 'eve@unique.example' });
  });

  it('frees the e-mail of a deleted client, and refuses to restore it while another client uses it', async () => {
    const old = await admin.api.clients.create.mutate({ name: 'Old Dora', email: 'dora@unique.example' });
    await admin.api.clients.delete.mutate({ ids: [old.id] });
    const fresh = await agent.api.clients.create.mutate({ name: 'New Dora', email: 'dora@unique.example' });

    const error = await failure(admin.api.clients.restore.mutate({ ids: [old.id] }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(
      `Client “Old Dora” cannot be restored: its e-mail dora@unique.example is now used by client “New Dora” (#${fresh.id}). Change one of the e-mails first.`,
    );
    expect(await isDeleted(old.id)).toBe(true);

    // Once the other client has another e-mail, the old one comes back.
    await agent.api.clients.update.mutate({
      id: fresh.id,
      changes: { email: { base: 'dora@unique.example', value: 'dora.new@unique.example' } },
    });
    await admin.api.clients.restore.mutate({ ids: [old.id] });
    expect(await isDeleted(old.id)).toBe(false);
  });

  it('does not restore two deleted clients with the same e-mail together', async () => {
    const first = await admin.api.clients.create.mutate({ name: 'Fay One', email: 'fay@unique.example' });
    await admin.api.clients.delete.mutate({ ids: [first.id] });
    const second = await admin.api.clients.create.mutate({ name: 'Fay Two', email: 'fay@unique.example' });
    await admin.api.clients.delete.mutate({ ids: [second.id] });

    const error = await failure(admin.api.clients.restore.mutate({ ids: [first.id, second.id] }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/e-mail fay@unique\.example is now used by client “Fay (One|Two)”/);
    const active = await agent.api.clients.list.query({ search: 'fay@unique.example' });
    expect(active.total).toBeLessThanOrEqual(1);
  });
});

describe('tax numbers, postal codes and e-invoicing addresses over the API', () => {
  it('refuses a Polish NIP with a wrong check digit and a malformed postal code, naming both fields', async () => {
    const error = await failure(
      agent.api.clients.create.mutate({ name: 'Firma', country: 'PL', taxNumber: '526-000-12-47', postalCode: '0095' }),
    );
    expect(error.fieldErrors).toEqual({
      taxNumber: [
        "Tax number: this NIP number fails its check digit, so a digit is probably mistyped. Check it against the client's documents (a valid one looks like 526-000-12-46).",
      ],
      postalCode: ['Postal code does not look like a postal code in Poland. Write it like 00-950.'],
    });
  });

  it('stores valid numbers, phones and the website normalized', async () => {
    const created = await agent.api.clients.create.mutate({
      name: 'Brussels Trading',
      country: 'BE',
      taxNumber: 'be 0403.019.261',
      postalCode: '1000',
      mobile: '0470 12 34 56',
      website: 'brussels-trading.example',
      electronicAddressScheme: '0208',
      electronicAddress: '0403.019.261',
    });
    expect(created).toMatchObject({
      taxNumber: 'BE0403019261',
      electronicAddress: '0403019261',
      mobile: '+32470123456',
      website: 'https://brussels-trading.example',
    });
    expect(await agent.api.clients.get.query({ id: created.id })).toMatchObject({ taxNumber: 'BE0403019261' });
  });

  it('checks the stored tax number again when the country changes', async () => {
    const client = await agent.api.clients.create.mutate({ name: 'Movers', country: 'PL', taxNumber: '5260001246' });
    const error = await failure(
      agent.api.clients.update.mutate({ id: client.id, changes: { country: { base: 'PL', value: 'DE' } } }),
    );
    expect(error.fieldErrors?.taxNumber?.[0]).toMatch(
      /^Tax number: USt-IdNr\. numbers from Germany look like DE136695976/,
    );
    expect((await agent.api.clients.get.query({ id: client.id })).country).toBe('PL');
  });

  it('refuses an address that does not fit its scheme and a deprecated scheme, naming its replacement', async () => {
    const error = await failure(
      agent.api.clients.create.mutate({ name: 'X', electronicAddressScheme: '0208', electronicAddress: '0403019262' }),
    );
    expect(error.fieldErrors?.electronicAddress).toEqual([
      'Electronic address: this number fails the check digit of scheme 0208, so a digit is probably mistyped (a valid one looks like 0403019261).',
    ]);
    const deprecated = await failure(
      agent.api.clients.create.mutate({ name: 'X', electronicAddressScheme: '9955', electronicAddress: '5561888404' }),
    );
    expect(deprecated.fieldErrors?.electronicAddressScheme).toEqual([
      'Electronic address scheme: scheme 9955 is deprecated; use 0007 instead.',
    ]);
  });
});

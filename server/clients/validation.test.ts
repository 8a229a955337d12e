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

describe('e-mail unique among active clients', () => {
  it('refuses a second client with the same e-mail, naming the one that has it', async () => {
    const anna = await agent.api.clients.create.mutate({ name: 'Anna Nowak', email: 'anna@unique.example' });
    const error = await failure(agent.api.clients.create.mutate({ name: 'Other', email: 'ANNA@unique.example' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors?.email).toEqual([
      `E-mail: anna@unique.example is already used by client “Anna Nowak” (#${anna.id}). Use another e-mail, or open that client.`,
    ]);
  });

  it('refuses changing a client to another active client’s e-mail, and keeps the stored one', async () => {
    await agent.api.clients.create.mutate({ name: 'Bea', email: 'bea@unique.example' });
    const carl = await agent.api.clients.create.mutate({ name: 'Carl', email: 'carl@unique.example' });
    const error = await failure(
      agent.api.clients.update.mutate({
        id: carl.id,
        changes: { email: { base: 'carl@unique.example', value: 'bea@unique.example' } },
      }),
    );
    expect(error.fieldErrors?.email?.[0]).toMatch(/already used by client “Bea”/);
    expect((await agent.api.clients.get.query({ id: carl.id })).email).toBe('carl@unique.example');
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
    expect((await t.em().findOneOrFail(Client, old.id)).deletedAt).not.toBeNull();
  });

  it('lets a client keep its own e-mail when other fields change', async () => {
    const eve = await agent.api.clients.create.mutate({ name: 'Eve', email: 'eve@unique.example' });
    const result = await agent.api.clients.update.mutate({
      id: eve.id,
      changes: { city: { base: null, value: 'Kraków' } },
    });
    expect(result.client.city).toBe('Kraków');
  });
});

describe('tax numbers, postal codes and e-invoicing addresses over the API', () => {
  it('refuses a Polish NIP with a wrong check digit and a malformed postal code, naming both fields', async () => {
    const error = await failure(
      agent.api.clients.create.mutate({ name: 'Firma', country: 'PL', taxNumber: '526-000-12-47', postalCode: '0095' }),
    );
    expect(error.fieldErrors?.taxNumber?.[0]).toMatch(/not a valid NIP for Poland.*Example: 526-000-12-46/);
    expect(error.fieldErrors?.postalCode?.[0]).toMatch(/postal code in Poland\. Write it like 00-950/);
  });

  it('stores valid numbers normalized', async () => {
    const created = await agent.api.clients.create.mutate({
      name: 'Brussels Trading',
      country: 'BE',
      taxNumber: 'BE 0403.019.261',
      postalCode: '1000',
      electronicAddressScheme: '0208',
      electronicAddress: '0403.019.261',
    });
    expect(created).toMatchObject({ taxNumber: 'BE0403019261', electronicAddress: '0403019261' });
  });

  it('refuses an address that does not fit its scheme and a deprecated scheme, naming its replacement', async () => {
    const error = await failure(
      agent.api.clients.create.mutate({ name: 'X', electronicAddressScheme: '0208', electronicAddress: '0403019262' }),
    );
    expect(error.fieldErrors?.electronicAddress?.[0]).toMatch(/does not fit scheme 0208/);
    const deprecated = await failure(
      agent.api.clients.create.mutate({ name: 'X', electronicAddressScheme: '9955', electronicAddress: '5561888404' }),
    );
    expect(deprecated.fieldErrors?.electronicAddressScheme?.[0]).toMatch(/9955 is deprecated; use 0007/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type ClientEntity } from '../clients/entity';
import { ADMIN, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { countStatements } from '../test/statements';
import { plainRow, runSql } from './sql';

let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await t?.close();
});

/** Counts the statements that read client rows by id while `work` runs. */
async function clientReads<T>(work: () => Promise<T>): Promise<{ result: T; reads: number }> {
  const { result, counts } = await countStatements(t.app.orm, { reads: /^select \* from .?client.? where id/ }, work);
  return { result, reads: counts.reads };
}

const row = (id: number) => plainRow<ClientEntity>(t.em(), Client.meta.className, id);

describe('plainRow', () => {
  it('reads the rows asked for in the same turn with one statement, each caller getting its own', async () => {
    const first = await admin.api.clients.create.mutate({ name: 'Read Together One', loginAllowed: false });
    const second = await admin.api.clients.create.mutate({ name: 'Read Together Two', city: 'Gdańsk' });
    const { result, reads } = await clientReads(() =>
      Promise.all([row(first.id), row(second.id), row(first.id), row(999_999)]),
    );
    expect(reads).toBe(1);
    expect(result.map((client) => client?.name ?? null)).toEqual([
      'Read Together One',
      'Read Together Two',
      'Read Together One',
      null,
    ]);
    // With the entity's types, as the ORM would give them.
    expect(result[0]?.loginAllowed).toBe(false);
    expect(result[1]?.city).toBe('Gdańsk');
    expect(result[1]?.createdAt).toBeInstanceOf(Date);
  });

  it('reads a row as it is when asked, and inside a transaction as the transaction sees it', async () => {
    const { id } = await admin.api.clients.create.mutate({ name: 'Read Fresh', city: 'Before' });
    expect((await row(id))?.city).toBe('Before');
    await admin.api.clients.update.mutate({ id, changes: { city: { base: 'Before', value: 'After' } } });
    expect((await row(id))?.city).toBe('After');
    await t
      .em()
      .fork()
      .transactional(async (tx) => {
        await runSql(tx, { sql: 'update client set city = ? where id = ?', params: ['Uncommitted', id] });
        const { result, reads } = await clientReads(() => plainRow<ClientEntity>(tx, Client.meta.className, id));
        expect(result?.city).toBe('Uncommitted');
        expect(reads).toBe(1);
        throw new Error('roll back');
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error) || error.message !== 'roll back') throw error;
      });
    expect((await row(id))?.city).toBe('After');
  });
});

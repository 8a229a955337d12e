import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent } from '../activity/entity';
import { eventually, subscribeEvents } from '../live/testing';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { Client } from './entity';

/** Concurrent edits of one client over separate WebSocket connections, checked against the event log. */

let t: TestApp;
let admin: SignedIn;
let agent: SignedIn;
let manager: SignedIn;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  agent = await t.as('agent');
  manager = await t.as('manager');
});

afterAll(async () => {
  await t?.close();
});

const FIELDS = ['city', 'state', 'postalCode', 'companyAddress', 'shippingAddress', 'companyName'] as const;
type Field = (typeof FIELDS)[number];

async function eventsOf(clientId: number) {
  return t.em().find(ClientEvent, { clientId }, { orderBy: { seq: 'asc' } });
}

describe('two connections', () => {
  it('lets exactly one of two saves of the same field apply; the other gets a conflict with the winner’s value', async () => {
    const fromAgent = agent.ws();
    const fromManager = manager.ws();
    for (let round = 0; round < 5; round++) {
      const { id } = await admin.api.clients.create.mutate({ name: `Same Field ${round}`, city: 'Start' });
      const results = await Promise.all([
        fromAgent.clients.update.mutate({ id, changes: { city: { base: 'Start', value: 'Agent City' } } }),
        fromManager.clients.update.mutate({ id, changes: { city: { base: 'Start', value: 'Manager City' } } }),
      ]);
      const winner = results.findIndex((result) => result.conflicts.length === 0);
      const loser = results[1 - winner];
      expect(winner).toBeGreaterThanOrEqual(0);
      const winnerValue = winner === 0 ? 'Agent City' : 'Manager City';
      expect(loser?.conflicts).toEqual([
        expect.objectContaining({ field: 'city', base: 'Start', yours: expect.any(String), theirs: winnerValue }),
      ]);
      expect(loser?.conflicts[0]?.yours).not.toBe(winnerValue);
      expect((await admin.api.clients.get.query({ id })).city).toBe(winnerValue);
      const updates = (await eventsOf(id)).filter((event) => event.type === 'client.updated');
      expect(updates.map((event) => event.changes)).toEqual([{ city: { before: 'Start', after: winnerValue } }]);
    }
  });

  it('applies both of two saves of different fields made from the same version', async () => {
    const fromAgent = agent.ws();
    const fromManager = manager.ws();
    for (let round = 0; round < 5; round++) {
      const { id } = await admin.api.clients.create.mutate({ name: `Two Fields ${round}` });
      const results = await Promise.all([
        fromAgent.clients.update.mutate({ id, changes: { city: { base: null, value: 'Kraków' } } }),
        fromManager.clients.update.mutate({ id, changes: { postalCode: { base: null, value: '30-001' } } }),
      ]);
      expect(results.map((result) => result.conflicts)).toEqual([[], []]);
      expect(await admin.api.clients.get.query({ id })).toMatchObject({ city: 'Kraków', postalCode: '30-001' });
      const updates = (await eventsOf(id)).filter((event) => event.type === 'client.updated');
      expect(updates.map((event) => Object.keys(event.changes)).sort()).toEqual([['city'], ['postalCode']]);
    }
  });
});

describe('one e-mail from several people at once', () => {
  /** The active clients with this e-mail, as stored. */
  const holders = (email: string) => t.em().find(Client, { email, deletedAt: null });

  it('lets one new client have it; the others are refused on the e-mail field and nothing of theirs is stored', async () => {
    const editors = await Promise.all(Array.from({ length: 8 }, () => t.as('agent')));
    const results = await Promise.allSettled(
      editors.map((editor, e) =>
        editor.ws().clients.create.mutate({ name: `Racer ${e}`, email: 'race.create@dup.test' }),
      ),
    );
    const created = results.filter((result) => result.status === 'fulfilled');
    expect(created).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'fulfilled') continue;
      const error = await failure(Promise.reject(result.reason));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.fieldErrors?.email?.[0]).toMatch(/race\.create@dup\.test is already used by client “Racer \d”/);
    }
    expect(await holders('race.create@dup.test')).toHaveLength(1);
    expect(await t.em().count(Client, { name: { $like: 'Racer %' } })).toBe(1);
  });

  it('lets one of several saves of existing clients set it; the others stay as they were', async () => {
    const clients = await Promise.all(
      Array.from({ length: 6 }, (_, i) => admin.api.clients.create.mutate({ name: `Switcher ${i}` })),
    );
    const editors = await Promise.all(clients.map(() => t.as('agent')));
    const results = await Promise.allSettled(
      clients.map((client, i) =>
        editors[i]?.ws().clients.update.mutate({
          id: client.id,
          changes: { email: { base: null, value: 'race.update@dup.test' } },
        }),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((result) => result.status === 'rejected');
    for (const result of refused) {
      expect((await failure(Promise.reject(result.reason))).fieldErrors?.email?.[0]).toMatch(/already used/);
    }
    expect(await holders('race.update@dup.test')).toHaveLength(1);
    const updates = await t.em().count(ClientEvent, {
      clientId: { $in: clients.map((client) => client.id) },
      type: 'client.updated',
    });
    expect(updates).toBe(1);
  });
});

describe('twenty editors at once', () => {
  it('end in a state the event log agrees with, every save either applied or answered as a conflict', async () => {
    const start = Object.fromEntries(FIELDS.map((field) => [field, `start ${field}`])) as Record<Field, string>;
    const { id } = await admin.api.clients.create.mutate({ name: 'Hammered', ...start });
    const watcher = subscribeEvents(admin.ws(), { clientId: id });
    await eventually(() => watcher.heads().length > 0, 'the watcher caught up');

    const editors = await Promise.all(Array.from({ length: 20 }, () => t.as('agent')));
    const applied: string[] = [];
    let conflicts = 0;
    let calls = 0;
    const until = Date.now() + 3_000;
    await Promise.all(
      editors.map(async (editor, e) => {
        const api = editor.ws();
        let known = await api.clients.get.query({ id });
        for (let n = 0; Date.now() < until; n++) {
          const field = FIELDS[(e + n) % FIELDS.length] as Field;
          const value = `editor ${e} save ${n}`;
          calls++;
          try {
            const result = await api.clients.update.mutate({ id, changes: { [field]: { base: known[field], value } } });
            if (result.conflicts.length === 0) {
              expect(result.client[field]).toBe(value);
              applied.push(`${field}=${value}`);
            } else {
              expect(result.conflicts).toEqual([
                expect.objectContaining({ field, base: known[field], yours: value, theirs: result.client[field] }),
              ]);
              conflicts++;
            }
            known = result.client;
          } catch (error) {
            // The version check lost its retries to other writers: refused as a conflict, nothing written.
            if (!(error instanceof TRPCClientError) || error.data?.code !== 'CONFLICT') throw error;
            conflicts++;
            known = await api.clients.get.query({ id });
          }
        }
      }),
    );
    expect(applied.length + conflicts).toBe(calls);
    expect(conflicts).toBeGreaterThan(0);

    const final = await admin.api.clients.get.query({ id });
    const events = await eventsOf(id);
    const updates = events.filter((event) => event.type === 'client.updated');
    // Every applied save is in the log exactly once, and nothing else is.
    expect(updates.flatMap((event) => Object.entries(event.changes).map(([f, c]) => `${f}=${c.after}`)).sort()).toEqual(
      [...applied].sort(),
    );
    // Replaying the log field by field gives the final state, each change starting where the one before ended.
    const replayed: Record<string, unknown> = { ...start };
    for (const event of updates) {
      for (const [field, change] of Object.entries(event.changes)) {
        expect(change.before, `${field} in event ${event.seq}`).toBe(replayed[field]);
        replayed[field] = change.after;
      }
    }
    for (const field of FIELDS) expect(final[field], field).toBe(replayed[field]);

    // And a subscriber on another connection got exactly the log, in order.
    await eventually(() => watcher.events().length >= updates.length, 'the watcher to get every event');
    expect(watcher.events().map((event) => event.seq)).toEqual(updates.map((event) => event.seq));
    watcher.stop();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { ClientEvent } from './entity';

// The monitor's and the card's charts: counts per calendar day in the viewer's time zone, and the breakdown.
let t: TestApp;
let admin: SignedIn;
let agent: SignedIn;
let portal: SignedIn;
let portalClientId: number;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  agent = await t.as('agent');
  portalClientId = (await admin.api.clients.create.mutate({ name: 'Chart Portal', loginAllowed: true })).id;
  portal = await t.as('client', { clientId: portalClientId });
});

afterAll(async () => {
  await t?.close();
});

const utcDay = (at: Date, offsetHours = 0) =>
  new Date(at.getTime() + offsetHours * 3_600_000).toISOString().slice(0, 10);
const countOn = (days: { day: string; count: number }[], day: string) => days.find((entry) => entry.day === day)?.count;

/** Moves every event of a client to `at`. */
async function moveEvents(clientId: number, at: Date) {
  const em = t.em();
  for (const row of await em.find(ClientEvent, { clientId })) row.at = at;
  await em.flush();
}

describe('status changes per day', () => {
  it('has one entry per day for the last 30 days, oldest first, ending today in the asked zone', async () => {
    const days = await agent.api.activity.statusChangesPerDay.query({ timeZone: 'UTC' });
    expect(days).toHaveLength(30);
    expect(days.at(-1)?.day).toBe(utcDay(new Date()));
    expect(days[0]?.day).toBe(utcDay(new Date(Date.now() - 29 * 86_400_000)));
    expect((await agent.api.activity.statusChangesPerDay.query({ timeZone: 'UTC', days: 7 })).length).toBe(7);
  });

  it('counts status changes, also when made along with other fields, and nothing else', async () => {
    const today = utcDay(new Date());
    const before = countOn(await agent.api.activity.statusChangesPerDay.query({ timeZone: 'UTC' }), today) ?? 0;
    const { id } = await agent.api.clients.create.mutate({ name: 'Chart Status' });
    await agent.api.clients.setStatus.mutate({ ids: [id], status: 'inactive' });
    const current = await agent.api.clients.get.query({ id });
    await agent.api.clients.update.mutate({
      id,
      changes: { status: { base: 'inactive', value: 'active' }, city: { base: current.city, value: 'Kraków' } },
    });
    await agent.api.clients.update.mutate({ id, changes: { city: { base: 'Kraków', value: 'Łódź' } } });
    const after = countOn(await agent.api.activity.statusChangesPerDay.query({ timeZone: 'UTC' }), today);
    expect(after).toBe(before + 2);
  });

  it('puts a change on the calendar day of the asked time zone', async () => {
    const { id } = await agent.api.clients.create.mutate({ name: 'Chart Zones' });
    await agent.api.clients.setStatus.mutate({ ids: [id], status: 'inactive' });
    // Three days ago at 20:00 UTC: the same day in New York, the next day in Tokyo (UTC+9, no summer time).
    const at = new Date(`${utcDay(new Date(Date.now() - 3 * 86_400_000))}T20:00:00Z`);
    const zones = ['UTC', 'Asia/Tokyo', 'America/New_York'];
    const counts = () =>
      Promise.all(zones.map((timeZone) => agent.api.activity.statusChangesPerDay.query({ timeZone })));
    const [utcBefore, tokyoBefore, newYorkBefore] = await counts();
    await moveEvents(id, at);
    const [utcAfter, tokyoAfter, newYorkAfter] = await counts();
    const grew = (before: typeof utcBefore = [], after: typeof utcAfter = [], day: string) =>
      (countOn(after, day) ?? 0) - (countOn(before, day) ?? 0);
    expect(grew(utcBefore, utcAfter, utcDay(at))).toBe(1);
    expect(grew(newYorkBefore, newYorkAfter, utcDay(at))).toBe(1);
    expect(grew(tokyoBefore, tokyoAfter, utcDay(at, 9))).toBe(1);
    expect(grew(tokyoBefore, tokyoAfter, utcDay(at))).toBe(0);
  });

  it('leaves out changes older than the window', async () => {
    const { id } = await agent.api.clients.create.mutate({ name: 'Chart Old' });
    await agent.api.clients.setStatus.mutate({ ids: [id], status: 'inactive' });
    const total = async () =>
      (await agent.api.activity.statusChangesPerDay.query({ timeZone: 'UTC' })).reduce(
        (sum, day) => sum + day.count,
        0,
      );
    const before = await total();
    await moveEvents(id, new Date(Date.now() - 40 * 86_400_000));
    expect(await total()).toBe(before - 1);
  });

  it('refuses a time zone that is not an IANA name, naming the field', async () => {
    for (const timeZone of ['Mars/Olympus', '+02:00', '']) {
      const error = await failure(agent.api.activity.statusChangesPerDay.query({ timeZone }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.fieldErrors?.timeZone?.[0]).toMatch(/IANA time zone/);
    }
    const error = await failure(agent.api.activity.statusChangesPerDay.query({ timeZone: 'UTC', days: 0 }));
    expect(error.fieldErrors?.days).toBeDefined();
  });
});

describe('a client’s activity per day', () => {
  it('counts the client’s own events per day, no one else’s', async () => {
    const { id } = await agent.api.clients.create.mutate({ name: 'Chart Card' });
    await agent.api.clients.setStatus.mutate({ ids: [id], status: 'inactive' });
    await agent.api.notes.add.mutate({ clientId: id, body: 'Called', visibility: 'public' });
    await agent.api.clients.create.mutate({ name: 'Chart Other' });
    const days = await agent.api.activity.clientActivityPerDay.query({ clientId: id, timeZone: 'UTC', days: 90 });
    expect(days).toHaveLength(90);
    expect(countOn(days, utcDay(new Date()))).toBe(3);
    expect(days.reduce((sum, day) => sum + day.count, 0)).toBe(3);
  });

  it('shows a portal user its own card only, and only what its history shows it', async () => {
    const own = await portal.api.activity.clientActivityPerDay.query({ clientId: portalClientId, timeZone: 'UTC' });
    const staff = await agent.api.activity.clientActivityPerDay.query({ clientId: portalClientId, timeZone: 'UTC' });
    const total = (days: { count: number }[]) => days.reduce((sum, day) => sum + day.count, 0);
    const history = await portal.api.activity.history.query({ clientId: portalClientId });
    expect(total(own)).toBe(history.entries.reduce((sum, entry) => sum + entry.count, 0));
    expect(total(own)).toBeLessThanOrEqual(total(staff));
    const { id } = await agent.api.clients.create.mutate({ name: 'Chart Not Yours' });
    expect(
      (await failure(portal.api.activity.clientActivityPerDay.query({ clientId: id, timeZone: 'UTC' }))).code,
    ).toBe('NOT_FOUND');
  });
});

describe('the breakdown of clients', () => {
  it('counts active and inactive clients per category and per country, leaving deleted clients out', async () => {
    const category = await admin.api.lookups.createCategory.mutate({ name: 'Chart Category' });
    const make = async (status: 'active' | 'inactive', country: string) => {
      const { id } = await agent.api.clients.create.mutate({ name: `Chart ${status} ${country}`, country });
      await agent.api.clients.assignCategory.mutate({ ids: [id], categoryId: category.id });
      if (status === 'inactive') await agent.api.clients.setStatus.mutate({ ids: [id], status });
      return id;
    };
    await make('active', 'IS');
    await make('active', 'IS');
    await make('inactive', 'IS');
    const gone = await make('active', 'IS');
    await admin.api.clients.delete.mutate({ ids: [gone] });

    const breakdown = await agent.api.clients.breakdown.query();
    expect(breakdown.byCategory.find((row) => row.categoryId === category.id)).toEqual({
      categoryId: category.id,
      name: 'Chart Category',
      active: 2,
      inactive: 1,
    });
    expect(breakdown.byCountry.find((row) => row.country === 'IS')).toEqual({ country: 'IS', active: 2, inactive: 1 });
    // Clients with no category or country have a row of their own, and the rows add up to every live client.
    const uncategorised = breakdown.byCategory.find((row) => row.categoryId === null);
    expect(uncategorised?.name).toBeNull();
    const sum = (rows: { active: number; inactive: number }[]) =>
      rows.reduce((total, row) => total + row.active + row.inactive, 0);
    const listed = await agent.api.clients.list.query({});
    expect(sum(breakdown.byCategory)).toBe(listed.total);
    expect(sum(breakdown.byCountry)).toBe(listed.total);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';

/** Saved list views: private or shared, names unique per owner, changed only by the owner or an admin. */

let t: TestApp;
let admin: SignedIn;
let anna: SignedIn;
let bart: SignedIn;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  anna = await t.as('agent');
  bart = await t.as('viewer');
});

afterAll(async () => {
  await t?.close();
});

const names = (views: { name: string }[]) => views.map((view) => view.name);

describe('saved views', () => {
  it('saves the list input (validated, without the page) and the columns, and lists it for its owner', async () => {
    const saved = await anna.api.views.save.mutate({
      name: '  Active in Poland ',
      input: { search: 'kow', status: 'active', country: 'pl', sort: 'name', direction: 'asc', page: 7, pageSize: 50 },
      columns: ['mobile', 'country'],
    });
    expect(saved).toMatchObject({
      name: 'Active in Poland',
      shared: false,
      mine: true,
      mayChange: true,
      input: { search: 'kow', status: 'active', country: 'PL', sort: 'name', direction: 'asc', pageSize: 50 },
      columns: ['mobile', 'country'],
    });
    expect(saved.input).not.toHaveProperty('page');
    expect(saved.owner.name).toMatch(/agent/);
    const listed = await anna.api.views.list.query();
    expect(listed.find((view) => view.id === saved.id)).toEqual(saved);
    // The saved input is a valid list input as it stands.
    await anna.api.clients.list.query(saved.input);
  });

  it('refuses a bad list input or bad columns at the field', async () => {
    const country = await failure(anna.api.views.save.mutate({ name: 'Bad', input: { country: 'XX' } }));
    expect(country.fieldErrors?.['input.country']).toBeDefined();
    const size = await failure(anna.api.views.save.mutate({ name: 'Bad', input: { pageSize: 30 } }));
    expect(size.fieldErrors?.['input.pageSize']).toBeDefined();
    const columns = await failure(
      anna.api.views.save.mutate({ name: 'Bad', input: {}, columns: ['mobile', 'password' as 'mobile'] }),
    );
    expect(Object.keys(columns.fieldErrors ?? {}).some((key) => key.startsWith('columns'))).toBe(true);
    const twice = await failure(anna.api.views.save.mutate({ name: 'Bad', input: {}, columns: ['mobile', 'mobile'] }));
    expect(twice.fieldErrors?.columns?.[0]).toMatch(/at most once/);
    const blank = await failure(anna.api.views.save.mutate({ name: '   ', input: {} }));
    expect(blank.fieldErrors?.name).toEqual(['View name is required.']);
    expect(names(await anna.api.views.list.query())).not.toContain('Bad');
  });

  it('keeps private views to their owner and shows shared ones to all staff, read-only', async () => {
    const mine = await anna.api.views.save.mutate({ name: 'Anna private', input: {} });
    const shared = await anna.api.views.save.mutate({
      name: 'Team: inactive',
      shared: true,
      input: { status: 'inactive' },
    });
    const seen = await bart.api.views.list.query();
    expect(names(seen)).toContain('Team: inactive');
    expect(names(seen)).not.toContain('Anna private');
    expect(seen.find((view) => view.id === shared.id)).toMatchObject({ mine: false, mayChange: false });

    const rename = await failure(bart.api.views.rename.mutate({ id: shared.id, name: 'Hijacked' }));
    expect(rename.code).toBe('FORBIDDEN');
    expect((await failure(bart.api.views.delete.mutate({ id: shared.id }))).code).toBe('FORBIDDEN');
    const overwrite = await failure(bart.api.views.save.mutate({ id: shared.id, name: 'Team: inactive', input: {} }));
    expect(overwrite.code).toBe('FORBIDDEN');
    // Someone else's private view does not exist for others.
    expect((await failure(bart.api.views.rename.mutate({ id: mine.id, name: 'X' }))).code).toBe('NOT_FOUND');
    expect((await failure(bart.api.views.delete.mutate({ id: mine.id }))).code).toBe('NOT_FOUND');
    expect(names(await anna.api.views.list.query())).toEqual(
      expect.arrayContaining(['Anna private', 'Team: inactive']),
    );

    // A portal client has no list to save views of.
    const own = await admin.api.clients.create.mutate({ name: 'Views Portal', loginAllowed: true });
    const portal = await t.as('client', { clientId: own.id });
    expect((await failure(portal.api.views.list.query())).code).toBe('FORBIDDEN');
  });

  it('lets the owner rename, re-share, overwrite and delete; an administrator may too', async () => {
    const view = await anna.api.views.save.mutate({ name: 'Owned', input: { status: 'active' } });
    expect((await anna.api.views.rename.mutate({ id: view.id, name: 'Owned renamed' })).name).toBe('Owned renamed');
    const updated = await anna.api.views.save.mutate({
      id: view.id,
      name: 'Owned renamed',
      shared: true,
      input: { status: 'inactive', sort: 'email' },
      columns: ['companyName'],
    });
    expect(updated).toMatchObject({
      id: view.id,
      shared: true,
      input: { status: 'inactive', sort: 'email' },
      columns: ['companyName'],
    });
    expect(names(await bart.api.views.list.query())).toContain('Owned renamed');

    const byAdmin = await admin.api.views.rename.mutate({ id: view.id, name: 'Renamed by admin' });
    expect(byAdmin).toMatchObject({
      name: 'Renamed by admin',
      mine: false,
      mayChange: true,
      owner: { id: view.owner.id },
    });
    expect(await admin.api.views.delete.mutate({ id: view.id })).toEqual({ deleted: view.id });
    expect(names(await anna.api.views.list.query())).not.toContain('Renamed by admin');
    expect((await failure(anna.api.views.delete.mutate({ id: view.id }))).code).toBe('NOT_FOUND');
  });

  it('keeps names unique per owner, whatever their case; another user may reuse a name', async () => {
    await anna.api.views.save.mutate({ name: 'Unique Name', input: {} });
    const again = await failure(anna.api.views.save.mutate({ name: 'unique name', input: {} }));
    expect(again.code).toBe('BAD_REQUEST');
    expect(again.fieldErrors?.name?.[0]).toMatch(/already have a view named "unique name"/);
    const other = await anna.api.views.save.mutate({ name: 'Other Name', input: {} });
    const rename = await failure(anna.api.views.rename.mutate({ id: other.id, name: 'UNIQUE NAME' }));
    expect(rename.fieldErrors?.name).toBeDefined();
    // Renaming to its own name in another case is fine.
    expect((await anna.api.views.rename.mutate({ id: other.id, name: 'OTHER NAME' })).name).toBe('OTHER NAME');
    expect((await bart.api.views.save.mutate({ name: 'Unique Name', input: {} })).name).toBe('Unique Name');
  });
});

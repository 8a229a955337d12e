import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';

let t: TestApp;
let admin: SignedIn;
let manager: SignedIn;
let agent: SignedIn;
let viewer: SignedIn;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  manager = await t.as('manager');
  agent = await t.as('agent');
  viewer = await t.as('viewer');
});

afterAll(async () => {
  await t?.close();
});

describe('categories', () => {
  it('creates, lists (by name), renames and deletes', async () => {
    const zoo = await admin.api.lookups.createCategory.mutate({ name: '  Zoo ' });
    expect(zoo).toEqual({ id: expect.any(Number), name: 'Zoo' });
    const art = await admin.api.lookups.createCategory.mutate({ name: 'Art' });
    expect(await viewer.api.lookups.categories.query()).toEqual([art, zoo]);

    expect(await admin.api.lookups.renameCategory.mutate({ id: zoo.id, name: 'Animals' })).toEqual({
      id: zoo.id,
      name: 'Animals',
    });
    expect((await viewer.api.lookups.categories.query()).map((row) => row.name)).toEqual(['Animals', 'Art']);

    await admin.api.lookups.deleteCategory.mutate({ id: zoo.id });
    expect(await viewer.api.lookups.categories.query()).toEqual([art]);
    await admin.api.lookups.deleteCategory.mutate({ id: art.id });
  });

  it('refuses a duplicate name with fieldErrors.name, on create and on rename', async () => {
    const first = await admin.api.lookups.createCategory.mutate({ name: 'Duplicate' });
    const created = await failure(admin.api.lookups.createCategory.mutate({ name: 'Duplicate' }));
    expect(created.code).toBe('BAD_REQUEST');
    expect(created.fieldErrors?.name?.[0]).toMatch(/Duplicate/);
    const other = await admin.api.lookups.createCategory.mutate({ name: 'Other' });
    const renamed = await failure(admin.api.lookups.renameCategory.mutate({ id: other.id, name: 'Duplicate' }));
    expect(renamed.code).toBe('BAD_REQUEST');
    expect(renamed.fieldErrors?.name).toBeDefined();
    const names = (await viewer.api.lookups.categories.query()).map((row) => row.name);
    expect(names.filter((name) => name === 'Duplicate')).toHaveLength(1);
    expect(names).toContain('Other');
    await admin.api.lookups.deleteCategory.mutate({ id: first.id });
    await admin.api.lookups.deleteCategory.mutate({ id: other.id });
  });

  it('refuses an empty name', async () => {
    const error = await failure(admin.api.lookups.createCategory.mutate({ name: '   ' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors?.name).toBeDefined();
  });

  it('refuses to delete a category in use by a client or a sub-category (CONFLICT)', async () => {
    const used = await admin.api.lookups.createCategory.mutate({ name: 'Used by client' });
    const client = await agent.api.clients.create.mutate({ name: 'Category User', categoryId: used.id });
    const error = await failure(admin.api.lookups.deleteCategory.mutate({ id: used.id }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/1 client/);

    const parent = await admin.api.lookups.createCategory.mutate({ name: 'Parent' });
    await admin.api.lookups.createSubcategory.mutate({ categoryId: parent.id, name: 'Child' });
    expect((await failure(admin.api.lookups.deleteCategory.mutate({ id: parent.id }))).code).toBe('CONFLICT');

    const names = (await viewer.api.lookups.categories.query()).map((row) => row.name);
    expect(names).toEqual(expect.arrayContaining(['Used by client', 'Parent']));

    // A deleted client no longer holds the category.
    await manager.api.clients.delete.mutate({ ids: [client.id] });
    await admin.api.lookups.deleteCategory.mutate({ id: used.id });
  });

  it('answers NOT_FOUND for a category that does not exist', async () => {
    expect((await failure(admin.api.lookups.renameCategory.mutate({ id: 999_999, name: 'X' }))).code).toBe('NOT_FOUND');
    expect((await failure(admin.api.lookups.deleteCategory.mutate({ id: 999_999 }))).code).toBe('NOT_FOUND');
  });
});

describe('sub-categories', () => {
  it('creates, lists by category, renames and deletes', async () => {
    const food = await admin.api.lookups.createCategory.mutate({ name: 'Food' });
    const tools = await admin.api.lookups.createCategory.mutate({ name: 'Tools' });
    const fruit = await admin.api.lookups.createSubcategory.mutate({ categoryId: food.id, name: 'Fruit' });
    const bread = await admin.api.lookups.createSubcategory.mutate({ categoryId: food.id, name: 'Bread' });
    const saws = await admin.api.lookups.createSubcategory.mutate({ categoryId: tools.id, name: 'Saws' });
    expect(fruit).toEqual({ id: expect.any(Number), name: 'Fruit', categoryId: food.id });

    expect(await viewer.api.lookups.subcategories.query({ categoryId: food.id })).toEqual([bread, fruit]);
    expect(await viewer.api.lookups.subcategories.query({ categoryId: tools.id })).toEqual([saws]);
    expect(await viewer.api.lookups.subcategories.query()).toEqual(expect.arrayContaining([bread, fruit, saws]));

    // The same name may live under two categories, but not twice under one.
    await admin.api.lookups.createSubcategory.mutate({ categoryId: tools.id, name: 'Fruit' });
    const duplicate = await failure(admin.api.lookups.createSubcategory.mutate({ categoryId: food.id, name: 'Fruit' }));
    expect(duplicate.code).toBe('BAD_REQUEST');
    expect(duplicate.fieldErrors?.name).toBeDefined();
    const renameClash = await failure(admin.api.lookups.renameSubcategory.mutate({ id: bread.id, name: 'Fruit' }));
    expect(renameClash.fieldErrors?.name).toBeDefined();

    expect(await admin.api.lookups.renameSubcategory.mutate({ id: bread.id, name: 'Bakery' })).toEqual({
      id: bread.id,
      name: 'Bakery',
    });
    await admin.api.lookups.deleteSubcategory.mutate({ id: bread.id });
    expect(await viewer.api.lookups.subcategories.query({ categoryId: food.id })).toEqual([fruit]);
  });

  it('refuses a sub-category of a category that does not exist (NOT_FOUND)', async () => {
    const error = await failure(admin.api.lookups.createSubcategory.mutate({ categoryId: 999_999, name: 'Lost' }));
    expect(error.code).toBe('NOT_FOUND');
  });

  it('refuses to delete a sub-category in use (CONFLICT)', async () => {
    const category = await admin.api.lookups.createCategory.mutate({ name: 'Drinks' });
    const juice = await admin.api.lookups.createSubcategory.mutate({ categoryId: category.id, name: 'Juice' });
    await agent.api.clients.create.mutate({ name: 'Juice Bar', categoryId: category.id, subcategoryId: juice.id });
    const error = await failure(admin.api.lookups.deleteSubcategory.mutate({ id: juice.id }));
    expect(error.code).toBe('CONFLICT');
    expect(await viewer.api.lookups.subcategories.query({ categoryId: category.id })).toEqual([juice]);
  });
});

describe('contract types', () => {
  it('creates, lists, renames and deletes; refuses duplicates and types in use', async () => {
    const service = await admin.api.lookups.createContractType.mutate({ name: 'Service' });
    const lease = await admin.api.lookups.createContractType.mutate({ name: 'Lease' });
    expect(await viewer.api.lookups.contractTypes.query()).toEqual([lease, service]);

    const duplicate = await failure(admin.api.lookups.createContractType.mutate({ name: 'Lease' }));
    expect(duplicate.code).toBe('BAD_REQUEST');
    expect(duplicate.fieldErrors?.name).toBeDefined();

    expect(await admin.api.lookups.renameContractType.mutate({ id: lease.id, name: 'Rental' })).toEqual({
      id: lease.id,
      name: 'Rental',
    });

    const client = await agent.api.clients.create.mutate({ name: 'Contracted' });
    await agent.api.contracts.add.mutate({ clientId: client.id, typeId: service.id, subject: 'Support' });
    const inUse = await failure(admin.api.lookups.deleteContractType.mutate({ id: service.id }));
    expect(inUse.code).toBe('CONFLICT');
    expect(inUse.message).toMatch(/1 contract/);

    await admin.api.lookups.deleteContractType.mutate({ id: lease.id });
    expect(await viewer.api.lookups.contractTypes.query()).toEqual([service]);
  });
});

describe('who may write', () => {
  it('lets only administrators change the lookup lists', async () => {
    const category = await admin.api.lookups.createCategory.mutate({ name: 'Guarded' });
    for (const user of [manager, agent, viewer]) {
      expect((await failure(user.api.lookups.createCategory.mutate({ name: 'Nope' }))).code).toBe('FORBIDDEN');
      expect((await failure(user.api.lookups.renameCategory.mutate({ id: category.id, name: 'Nope' }))).code).toBe(
        'FORBIDDEN',
      );
      expect((await failure(user.api.lookups.deleteCategory.mutate({ id: category.id }))).code).toBe('FORBIDDEN');
      expect(
        (await failure(user.api.lookups.createSubcategory.mutate({ categoryId: category.id, name: 'Nope' }))).code,
      ).toBe('FORBIDDEN');
      expect((await failure(user.api.lookups.createContractType.mutate({ name: 'Nope' }))).code).toBe('FORBIDDEN');
    }
    const names = (await viewer.api.lookups.categories.query()).map((row) => row.name);
    expect(names).toContain('Guarded');
    expect(names).not.toContain('Nope');
  });
});

describe('code lists', () => {
  it('lists the ISO country codes', async () => {
    const countries = await viewer.api.lookups.countries.query();
    expect(countries).toEqual(expect.arrayContaining(['PL', 'DE', 'FR', 'US', 'SE', 'NO']));
    expect(countries).not.toContain('XX');
    expect(countries.length).toBeGreaterThan(240);
    expect(countries.every((code) => /^[A-Z]{2}$/.test(code))).toBe(true);
    expect([...countries].sort()).toEqual(countries);
  });

  it('lists the ISO 639-1 language codes', async () => {
    const languages = await viewer.api.lookups.languages.query();
    expect(languages).toEqual(expect.arrayContaining(['pl', 'en', 'de']));
    expect(languages.length).toBeGreaterThan(150);
    expect(languages.every((code) => /^[a-z]{2}$/.test(code))).toBe(true);
  });

  it('lists the active EAS schemes, and on request the deprecated ones with their replacements', async () => {
    const active = await viewer.api.lookups.easSchemes.query();
    const codes = active.map((scheme) => scheme.code);
    expect(codes).toEqual(expect.arrayContaining(['0088', '0192', '0208', '9930', '0007']));
    expect(codes).not.toContain('9955');
    expect(active.every((scheme) => !scheme.deprecated)).toBe(true);
    expect(active.find((scheme) => scheme.code === '0088')?.name).toMatch(/Location Code|GLN/i);

    const all = await viewer.api.lookups.easSchemes.query({ includeDeprecated: true });
    expect(all).toHaveLength(99);
    expect(all.find((scheme) => scheme.code === '9955')).toMatchObject({ deprecated: true, replacedBy: '0007' });
  });

  it('are not for signed-out callers or portal clients', async () => {
    expect((await failure(t.anonymous().lookups.countries.query())).code).toBe('UNAUTHORIZED');
    const own = await admin.api.clients.create.mutate({ name: 'Portal Lookups', loginAllowed: true });
    const portal = await t.as('client', { clientId: own.id });
    expect((await failure(portal.api.lookups.categories.query())).code).toBe('FORBIDDEN');
  });
});

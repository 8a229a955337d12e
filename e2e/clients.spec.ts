import { expect, type Page, test } from '@playwright/test';
import { E2E_ADMIN } from './env';

/**
 * The foundation's end-to-end path in a real browser against a real server (started by playwright.config.ts
 * with a fresh SQLite database, the demo data and the admin below). Elements are found by role and label
 * only, as the screen promises in DESIGN.md.
 */

async function signIn(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByLabel('E-mail').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill(E2E_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'New client' })).toBeVisible();
}

/** A name no demo client has, so search and filters can find exactly this one. */
function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}`;
}

test('sign in, create a client, find it by search and by a filter, edit it and see the edit kept', async ({ page }) => {
  const name = uniqueName('Ingrid Fjordsdottir');
  const company = `${name} ehf.`;

  await signIn(page);

  // Create through the form.
  await page.getByRole('button', { name: 'New client' }).click();
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('E-mail').fill('ingrid@fjord.example.is');
  await page.getByLabel('Company name').fill(company);
  await page.getByLabel('Tax number').fill('IS1234567');
  await page.getByRole('combobox', { name: 'Country' }).fill('Iceland');
  await page.getByRole('option', { name: /Iceland/ }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();

  // Find it by search.
  await page.goto('/');
  const table = page.getByRole('table');
  const search = page.getByLabel('Search');
  await search.fill(name);
  await expect(table.getByRole('row').filter({ hasText: name })).toHaveCount(1);
  await search.fill('');

  // Find it by a filter: no demo client is in Iceland.
  await page.getByRole('combobox', { name: 'Country' }).fill('Iceland');
  await page.getByRole('option', { name: /Iceland/ }).click();
  await expect(table.getByRole('row').filter({ hasText: name })).toHaveCount(1);

  // Open it, edit a field, save, reload: the edit is kept.
  await table.getByRole('link', { name }).click();
  const companyName = page.getByLabel('Company name');
  await expect(companyName).toHaveValue(company);
  await companyName.fill(`${company} (renamed)`);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /saved/i })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Company name')).toHaveValue(`${company} (renamed)`);
});

test('a bad e-mail address is refused at the field', async ({ page }) => {
  await signIn(page);
  await page.getByRole('button', { name: 'New client' }).click();
  await page.getByLabel('Full name').fill(uniqueName('Bad Email'));
  const email = page.getByLabel('E-mail');
  await email.fill('not-an-email');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('E-mail must be an e-mail address like name@example.com.')).toBeVisible();
});

test('the interface switches to Polish', async ({ page }) => {
  await signIn(page);
  await page.getByLabel('Interface language').selectOption({ label: 'Polski' });
  await expect(page.getByRole('heading', { name: 'Klienci' })).toBeVisible();
  await page.getByRole('button', { name: 'Nowy klient' }).click();
  await expect(page.getByLabel('Nazwa firmy')).toBeVisible();
});

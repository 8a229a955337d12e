import { expect, test } from '@playwright/test';
import { choose, signIn, tick, uniqueName } from './helpers';

/**
 * The foundation's end-to-end path in a real browser against a real server (started by playwright.config.ts
 * with a fresh SQLite database, the demo data and the admin below). Elements are found by role and label
 * only, as the screen promises in DESIGN.md.
 */

test('sign in, create a client, find it by search and by a filter, edit it and see the edit kept', async ({ page }) => {
  const name = uniqueName('Ingrid Fjordsdottir');
  const company = `${name} ehf.`;

  await signIn(page);

  // Create through the form.
  await page.getByRole('link', { name: 'New client' }).click();
  await expect(page.getByRole('heading', { name: 'New client' })).toBeVisible();
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('E-mail', { exact: true }).fill('ingrid@fjord.example.is');
  await choose(page, 'Country', 'Iceland');
  await page.getByLabel('Company name').fill(company);
  await page.getByLabel('Tax number').fill('IS1234567');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  // Saving opens the new client's card.
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();

  // Find it by search.
  await page.getByRole('link', { name: 'Clients', exact: true }).click();
  const table = page.getByRole('grid', { name: 'Clients' });
  const rows = table.getByRole('row');
  await page.getByRole('searchbox', { name: 'Search' }).fill(name);
  await expect(rows.filter({ hasText: name })).toHaveCount(1);
  await expect(page.getByText('1 client', { exact: true })).toBeVisible();

  // Find it by a filter alone: no demo client is in Iceland.
  await page.getByRole('searchbox', { name: 'Search' }).fill('');
  // The search box updates the URL after a short pause; wait for it so the filter starts from a clean view.
  await expect(page).not.toHaveURL(/search=/);
  await expect(page.getByText('1 client', { exact: true })).toBeHidden();
  await choose(page, 'Country', 'Iceland');
  await expect(page).toHaveURL(/country=IS/);
  await expect(rows.filter({ hasText: name })).toHaveCount(1);
  // Only the clients this suite made in Iceland (one per attempt), not the ~200 demo clients.
  await expect(page.getByText(/^[1-9] clients?$/)).toBeVisible();

  // Open it, edit a field, save, reload: the edit is kept.
  await table.getByRole('link', { name, exact: true }).click();
  const companyName = page.getByLabel('Company name');
  await expect(companyName).toHaveValue(company);
  await companyName.fill(`${company} (renamed)`);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Saved');
  await page.reload();
  await expect(page.getByLabel('Company name')).toHaveValue(`${company} (renamed)`);
});

test('a bad e-mail address is refused at the field', async ({ page }) => {
  await signIn(page);
  await page.getByRole('link', { name: 'New client' }).click();
  await page.getByLabel('Full name').fill(uniqueName('Bad Email'));
  const email = page.getByLabel('E-mail', { exact: true });
  await email.fill('not-an-email');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAccessibleDescription('E-mail must be an e-mail address like name@example.com.');
  // Nothing was saved: the form is still the new-client form.
  await expect(page.getByRole('heading', { name: 'New client' })).toBeVisible();
});

test('the interface switches to Polish', async ({ page }) => {
  await signIn(page);
  await page.getByLabel('Interface language').selectOption({ label: 'Polski' });
  await expect(page.getByRole('heading', { name: 'Klienci', exact: true })).toBeVisible();
  await expect(page.getByLabel('Język interfejsu')).toHaveValue('pl');
  await page.getByRole('link', { name: 'Nowy klient' }).click();
  await expect(page.getByLabel('Nazwa firmy')).toBeVisible();
  // Validation explains itself in Polish too.
  const email = page.getByLabel('E-mail', { exact: true });
  await email.fill('not-an-email');
  await page.getByRole('button', { name: 'Zapisz', exact: true }).click();
  await expect(email).toHaveAccessibleDescription('Pole „E-mail” musi być adresem e-mail, np. nazwa@example.com.');
  // The choice survives a reload.
  await page.reload();
  await expect(page.getByLabel('Nazwa firmy')).toBeVisible();
});

test('Export CSV downloads every client matching the filters, with the spreadsheet BOM', async ({ page }) => {
  await signIn(page);
  const count = page.getByText(/^[\d,  ]+ clients?$/);
  const everyone = (await count.textContent()) ?? '';
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Inactive' });
  await expect(page).toHaveURL(/status=inactive/);
  await expect(count).not.toHaveText(everyone);
  const total = Number((await count.textContent())?.replace(/\D/g, ''));
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^clients-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = await (await file.createReadStream()).toArray();
  const content = Buffer.concat(text as Buffer[]).toString('utf8');
  expect(content.startsWith('\uFEFF')).toBe(true);
  const lines = content.trim().split(/\r\n(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  // A header line, then one line per matching client (not only the 25 on the page).
  expect(lines.length - 1).toBe(total);
  expect(lines[0]).toContain('Status');
});

test('bulk: tick clients, set them inactive, delete them and undo', async ({ page }) => {
  await signIn(page);
  const prefix = `Bulk ${Date.now().toString(36)}`;
  for (const name of [`${prefix} Alpha`, `${prefix} Beta`]) {
    const response = await page.request.post('/trpc/clients.create', {
      headers: { 'x-kartoteka-csrf': '1', 'content-type': 'application/json' },
      data: { json: { name } },
    });
    expect(response.ok()).toBe(true);
  }
  await page.getByRole('searchbox', { name: 'Search' }).fill(prefix);
  const table = page.getByRole('grid', { name: 'Clients' });
  await expect(page.getByText('2 clients', { exact: true })).toBeVisible();

  // The native checkboxes are visually hidden under the drawn boxes: tick them from the keyboard.
  await tick(page.getByRole('checkbox', { name: 'Select every client on this page' }));
  const bar = page.getByRole('region', { name: 'Bulk actions' });
  await expect(bar).toContainText('Selected: 2');
  await bar.getByRole('button', { name: 'Set to Inactive' }).click();
  await expect(table.getByRole('row').filter({ hasText: prefix }).filter({ hasText: 'Inactive' })).toHaveCount(2);

  await tick(table.getByRole('checkbox', { name: new RegExp(`^Select ${prefix} Alpha`) }));
  await bar.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await expect(table.getByRole('row').filter({ hasText: `${prefix} Alpha` })).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(table.getByRole('row').filter({ hasText: `${prefix} Alpha` })).toHaveCount(1);
});

import { type Browser, expect, type Page, test } from '@playwright/test';
import { mutate, signIn, tick } from './helpers';

/**
 * The client list live in two browser windows against a real server: the administrator changes clients, a
 * manager's list filtered to active clients loses and regains them without a reload; then saved views.
 */

async function newWindow(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

test('a filtered list follows status changes made in another window, one by one and in bulk', async ({ browser }) => {
  const suffix = Date.now().toString(36);
  const prefix = `Listlive ${suffix}`;
  const admin = await newWindow(browser);
  await signIn(admin);
  const manager = { email: `list.live.${suffix}@example.com`, password: 'list-live-e2e-password' };
  await mutate(admin, 'users.create', { ...manager, name: `Mia List ${suffix}`, role: 'manager' });
  const ids: number[] = [];
  for (const name of ['Alpha', 'Beta', 'Gamma']) {
    ids.push((await mutate<{ id: number }>(admin, 'clients.create', { name: `${prefix} ${name}` })).id);
  }

  const other = await newWindow(browser);
  await signIn(other, manager);
  await other.goto(`/clients?search=${encodeURIComponent(prefix)}&status=active`);
  const table = other.getByRole('grid', { name: 'Clients' });
  const row = (name: string) => table.getByRole('row').filter({ hasText: `${prefix} ${name}` });
  await expect(other.getByText('3 clients', { exact: true })).toBeVisible();

  // Inactive: Alpha leaves the manager's list of active clients; the list says so politely.
  await mutate(admin, 'clients.setStatus', { ids: [ids[0]], status: 'inactive' });
  await expect(row('Alpha')).toHaveCount(0);
  await expect(other.getByText('2 clients', { exact: true })).toBeVisible();
  await expect(other.getByText('Administrator changed a client in this list.')).toBeAttached();

  // Active again: it enters the list, highlighted for a moment.
  await mutate(admin, 'clients.setStatus', { ids: [ids[0]], status: 'active' });
  await expect(row('Alpha')).toHaveCount(1);
  await expect(row('Alpha')).toHaveClass(/row-changed/);
  await expect(other.getByText('3 clients', { exact: true })).toBeVisible();

  // A bulk status change in the administrator's window empties the manager's list live.
  await admin.goto(`/clients?search=${encodeURIComponent(prefix)}`);
  await expect(admin.getByText('3 clients', { exact: true })).toBeVisible();
  await tick(admin.getByRole('checkbox', { name: 'Select every client on this page' }));
  const bar = admin.getByRole('region', { name: 'Bulk actions' });
  await bar.getByRole('button', { name: 'Set to Inactive' }).click();
  await expect(table.getByRole('row').filter({ hasText: prefix })).toHaveCount(0);
  await expect(other.getByText('0 clients', { exact: true })).toBeVisible();
  await expect(other.getByText('Others changed clients in this list (clients: 3).')).toBeAttached();

  // And back, in bulk: they all enter again.
  await tick(admin.getByRole('checkbox', { name: 'Select every client on this page' }));
  await bar.getByRole('button', { name: 'Set to Active' }).click();
  await expect(table.getByRole('row').filter({ hasText: prefix })).toHaveCount(3);
});

test('save the current view with its columns, reload, open it again from the list', async ({ page }) => {
  const suffix = Date.now().toString(36);
  const prefix = `Viewlive ${suffix}`;
  await signIn(page);
  await mutate(page, 'clients.create', { name: `${prefix} One`, mobile: '+48 601 234 567' });
  await page.goto(`/clients?search=${encodeURIComponent(prefix)}`);
  await expect(page.getByText('1 client', { exact: true })).toBeVisible();

  // Show the mobile phone column; it is kept in the URL.
  await page.locator('summary', { hasText: 'Columns' }).click();
  // The URL holds the columns: the box shows ticked once the list has followed it.
  await page.getByRole('checkbox', { name: 'Mobile phone' }).click();
  await expect(page.getByRole('checkbox', { name: 'Mobile phone' })).toBeChecked();
  await expect(page.getByRole('columnheader', { name: 'Mobile phone' })).toBeVisible();
  await expect(page).toHaveURL(/columns=mobile/);

  await page.getByRole('button', { name: 'Save view…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('View name').fill(`Mobiles ${suffix}`);
  await dialog.getByLabel('Share with the team').check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  const picker = page.getByLabel('Saved view');
  await expect(picker.locator('option:checked')).toHaveText(`Mobiles ${suffix} (shared)`);

  // A fresh list: no search, no extra columns; opening the view brings both back.
  await page.goto('/clients');
  await page.reload();
  await expect(page.getByRole('columnheader', { name: 'Mobile phone' })).toHaveCount(0);
  await picker.selectOption({ label: `Mobiles ${suffix} (shared)` });
  await expect(page).toHaveURL(/search=Viewlive/);
  await expect(page.getByRole('columnheader', { name: 'Mobile phone' })).toBeVisible();
  await expect(page.getByRole('grid', { name: 'Clients' }).getByRole('row').filter({ hasText: prefix })).toHaveCount(1);
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue(prefix);

  // Rename and delete it.
  await page.getByRole('button', { name: 'Rename view…' }).click();
  await dialog.getByLabel('View name').fill(`Phones ${suffix}`);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(picker.locator('option:checked')).toHaveText(`Phones ${suffix} (shared)`);
  await page.getByRole('button', { name: 'Delete view' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete view' }).click();
  await expect(picker.locator('option', { hasText: `Phones ${suffix}` })).toHaveCount(0);
});

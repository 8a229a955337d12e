import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from './env';
import { signIn } from './helpers';

test('the History tab shows who changed which fields, with the values before and after', async ({ page }) => {
  const name = `Historia ${Date.now().toString(36)}`;
  await signIn(page);
  await page.getByRole('link', { name: 'New client' }).click();
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('City', { exact: true }).fill('Gdańsk');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();

  await page.getByLabel('City', { exact: true }).fill('Sopot');
  await page.getByLabel('Company name', { exact: true }).fill('Bałtyk Trade');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Saved');

  await page.getByRole('tab', { name: 'History' }).click();
  const entries = page.getByRole('tabpanel', { name: 'History' }).getByRole('listitem');
  const latest = entries.first();
  await expect(latest).toContainText('changed the card');
  await expect(latest).toContainText(E2E_ADMIN.email.split('@')[0] ?? '', { ignoreCase: true });
  await expect(latest.getByRole('row', { name: /City/ })).toHaveText(/City\s*Gdańsk\s*Sopot/);
  await expect(latest.getByRole('row', { name: /Company name/ })).toHaveText(/Company name\s*—\s*Bałtyk Trade/);
  await expect(entries.last()).toContainText('created the client');
});

test('a new client with an existing client’s e-mail shows it as a possible duplicate; Create anyway saves', async ({
  page,
}) => {
  await signIn(page);
  // A demo client with an e-mail, found through the same API the list uses.
  const input = encodeURIComponent(JSON.stringify({ json: { search: '@', pageSize: 25 } }));
  const listed = await (await page.request.get(`/trpc/clients.list?input=${input}`)).json();
  const existing = (listed.result.data.json.items as { name: string; email: string | null }[]).find(
    (item) => item.email,
  );
  expect(existing).toBeDefined();
  const existingName = existing?.name ?? '';
  const email = existing?.email ?? '';

  await page.getByRole('link', { name: 'New client' }).click();
  const name = `Dup Check ${Date.now().toString(36)}`;
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  const warning = page.getByRole('region', { name: 'Possible duplicates' });
  await expect(warning.getByRole('link', { name: existingName })).toBeVisible();
  await expect(warning).toContainText('same e-mail');

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(warning).toContainText('Not saved yet');
  await expect(page.getByRole('heading', { name: 'New client' })).toBeVisible();
  await warning.getByRole('button', { name: 'Create anyway' }).click();
  // The server still keeps e-mails unique among active clients: the field says which client has it.
  await expect(page.getByLabel('E-mail', { exact: true })).toHaveAccessibleDescription(
    new RegExp(`already used by client “${existingName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”`),
  );

  // With only a similar name the new client is created anyway.
  await page.getByLabel('E-mail', { exact: true }).fill('');
  await page.getByLabel('Full name').fill(existingName);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(warning).toContainText('similar name');
  await warning.getByRole('button', { name: 'Create anyway' }).click();
  await expect(page.getByRole('heading', { name: existingName, exact: true })).toBeVisible();
  await expect(page).toHaveURL(/\/clients\/\d+$/);
});

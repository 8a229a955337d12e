import { expect, type Page, test } from '@playwright/test';
import { signIn, uniqueName } from './helpers';

/** The signed-in user's name, as the app knows it (the same session as the page). */
async function myName(page: Page): Promise<string> {
  const me = await (await page.request.get('/trpc/auth.me')).json();
  return me.result.data.json.name as string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('the History tab shows who changed which fields, with the values before and after', async ({ page }) => {
  const name = uniqueName('Historia');
  await signIn(page);
  const me = await myName(page);
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
  await expect(latest).toContainText(`${me} changed the card`);
  await expect(latest.getByRole('time')).toHaveText('now');
  await expect(latest.getByRole('row', { name: /City/ })).toHaveText(/City\s*Gdańsk\s*Sopot/);
  await expect(latest.getByRole('row', { name: /Company name/ })).toHaveText(/Company name\s*—\s*Bałtyk Trade/);
  await expect(entries.last()).toContainText(`${me} created the client`);
  await expect(entries.last().getByRole('row', { name: /City/ })).toHaveText(/City\s*—\s*Gdańsk/);

  // The same history in Polish: the card's own field labels, the words of the timeline.
  await page.getByLabel('Interface language').selectOption({ label: 'Polski' });
  const polish = page.getByRole('tabpanel', { name: 'Historia' }).getByRole('listitem');
  await expect(polish.first()).toContainText(`${me} zmienił(a) kartę`);
  await expect(polish.first().getByRole('time')).toHaveText('teraz');
  await expect(polish.first().getByRole('row', { name: /Miasto/ })).toHaveText(/Miasto\s*Gdańsk\s*Sopot/);
});

test('a new client with an existing client’s e-mail shows it as a possible duplicate; Create anyway saves', async ({
  page,
}) => {
  await signIn(page);
  // A demo client with an e-mail, read from the list.
  const rows = page.getByRole('grid', { name: 'Clients' }).getByRole('row');
  await expect(rows.nth(1)).toBeVisible();
  let existingName = '';
  let email = '';
  for (const row of await rows.all()) {
    const cells = await row.getByRole('gridcell').allInnerTexts();
    const withEmail = cells.find((text) => text.includes('@'));
    if (!withEmail) continue;
    existingName = ((await row.getByRole('link').first().textContent()) ?? '').trim();
    email = withEmail.trim();
    break;
  }
  expect(email).toContain('@');

  await page.getByRole('link', { name: 'New client' }).click();
  await page.getByLabel('Full name').fill(uniqueName('Dup Check'));
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  const warning = page.getByRole('region', { name: 'Possible duplicates' });
  await expect(warning.getByRole('link', { name: existingName })).toBeVisible();
  await expect(warning).toContainText('same e-mail');

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(warning).toContainText('Not saved yet');
  await expect(warning.getByRole('heading', { name: 'Possible duplicates' })).toBeFocused();
  await expect(page.getByRole('heading', { name: 'New client' })).toBeVisible();
  await warning.getByRole('button', { name: 'Create anyway' }).click();
  // The server still keeps e-mails unique among active clients: the field says which client has it.
  await expect(page.getByLabel('E-mail', { exact: true })).toHaveAccessibleDescription(
    new RegExp(`already used by client “${escapeRegExp(existingName)}”`),
  );

  // With only the same name the new client is created anyway.
  await page.getByLabel('E-mail', { exact: true }).fill('');
  await page.getByLabel('Full name').fill(existingName);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(warning).toContainText('similar name');
  await warning.getByRole('button', { name: 'Create anyway' }).click();
  await expect(page.getByRole('heading', { name: existingName, exact: true })).toBeVisible();
  await expect(page).toHaveURL(/\/clients\/\d+$/);
});

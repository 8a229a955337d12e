import { expect, type Page, test } from '@playwright/test';
import { E2E_ADMIN } from './env';

/**
 * The New client form checks every field the way the server does, as you type, in the interface's language,
 * and what it saves comes back normalized.
 */

async function signIn(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByLabel('E-mail', { exact: true }).fill(E2E_ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill(E2E_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Clients', exact: true })).toBeVisible();
}

async function choose(page: Page, label: string, text: string, option: RegExp = new RegExp(text)): Promise<void> {
  await page.getByRole('combobox', { name: label }).fill(text);
  await page.getByRole('option', { name: option }).first().click();
}

test('every field explains what is wrong in English and Polish, then the fixed client is saved normalized', async ({
  page,
}) => {
  const name = `Walidacja ${Date.now().toString(36)}`;
  await signIn(page);
  await page.getByRole('link', { name: 'New client' }).click();

  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('E-mail', { exact: true }).fill('anna@');
  // A Polish user may type the country's English or Polish name, or its code.
  await choose(page, 'Country', 'Polska', /Poland/);
  await page.getByLabel('Mobile phone').fill('601 234');
  await page.getByLabel('Tax number').fill('526-000-12-47');
  await page.getByLabel('Postal code').fill('0095');
  await page.getByLabel('Official website').fill('ftp://example.com');
  await choose(page, 'Electronic address scheme', '0208');
  await page.getByLabel('Electronic address', { exact: true }).fill('0403019262');
  await page.getByRole('button', { name: 'Save', exact: true }).click();

  const expectations: [string, RegExp][] = [
    ['E-mail', /E-mail must be an e-mail address like name@example\.com/],
    ['Mobile phone', /Mobile phone is not a valid phone number/],
    ['Tax number', /Tax number is not a valid NIP for Poland.*Example: 526-000-12-46/],
    ['Postal code', /Postal code does not look like a postal code in Poland\. Write it like 00-950/],
    ['Official website', /Official website must be a web address starting with http:\/\/ or https:\/\//],
    ['Electronic address', /Electronic address does not fit scheme 0208/],
  ];
  for (const [label, message] of expectations) {
    const field = page.getByLabel(label, { exact: true });
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(message);
  }
  await expect(page.getByRole('heading', { name: 'New client' })).toBeVisible();

  // The same errors in Polish, at once, without saving again.
  await page.getByLabel('Interface language').selectOption({ label: 'Polski' });
  await expect(page.getByLabel('Numer podatkowy')).toHaveAccessibleDescription(
    /to nie jest poprawny NIP dla kraju Polska/,
  );
  await expect(page.getByLabel('Kod pocztowy')).toHaveAccessibleDescription(
    /nie wygląda na kod pocztowy w kraju Polska/,
  );
  await expect(page.getByLabel('E-mail', { exact: true })).toHaveAccessibleDescription(/musi być adresem e-mail/);
  await page.getByLabel('Język interfejsu').selectOption({ label: 'English' });

  // Fix every field; the tax name and the e-invoicing address are offered from the country and the tax number.
  await page.getByLabel('E-mail', { exact: true }).fill(`${name.replace(' ', '.').toLowerCase()}@example.pl`);
  await page.getByLabel('Mobile phone').fill('601 234 567');
  await page.getByLabel('Tax number').fill('526-000-12-46');
  await page.getByLabel('Postal code').fill('00950');
  await page.getByLabel('Official website').fill('example.pl');
  await page.getByRole('button', { name: 'Use “NIP”' }).click();
  await expect(page.getByLabel('Tax name')).toHaveValue('NIP');
  await page.getByRole('button', { name: 'Clear selection' }).last().click();
  await page.getByLabel('Electronic address', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Use 9945 PL5260001246' }).click();
  await expect(page.getByLabel('Electronic address', { exact: true })).toHaveValue('PL5260001246');

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Mobile phone')).toHaveValue('+48 601 234 567');
  await expect(page.getByLabel('Tax number')).toHaveValue('5260001246');
  await expect(page.getByLabel('Postal code')).toHaveValue('00-950');
  await expect(page.getByLabel('Official website')).toHaveValue('https://example.pl');
  await expect(page.getByRole('combobox', { name: 'Electronic address scheme' })).toHaveValue(/^9945/);
});

test('a deprecated e-invoicing scheme is refused with its replacement named', async ({ page }) => {
  await signIn(page);
  // Deprecated schemes are not offered in the list; a client imported or saved earlier may still carry one.
  const response = await page.request.post('/trpc/clients.create', {
    headers: { 'x-kartoteka-csrf': '1', 'content-type': 'application/json' },
    data: { json: { name: 'Old Scheme AB', electronicAddressScheme: '9955', electronicAddress: '5561888404' } },
  });
  expect(response.status()).toBe(400);
  const body = await response.json();
  expect(body.error.json.data.fieldErrors.electronicAddressScheme[0]).toBe(
    'Electronic address scheme: scheme 9955 is deprecated; use 0007 instead.',
  );
});

import { expect, type Locator, type Page, test } from '@playwright/test';
import sharp from 'sharp';
import { choose, signIn } from './helpers';

/**
 * The New client form checks every field the way the server does, as you type, in the interface's language,
 * and what it saves comes back normalized.
 */

/** Clicks a button that opens the file picker and picks an image generated here. */
async function pickImage(page: Page, group: Locator, name: string, format: 'png' | 'jpeg'): Promise<void> {
  const image = sharp({ create: { width: 240, height: 160, channels: 3, background: { r: 40, g: 110, b: 190 } } });
  const buffer = await (format === 'png' ? image.png() : image.jpeg()).toBuffer();
  const chooser = page.waitForEvent('filechooser');
  await group.getByRole('button', { name: 'Upload' }).click();
  await (await chooser).setFiles({ name, mimeType: `image/${format}`, buffer });
}

async function expectPicture(image: Locator): Promise<void> {
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBeGreaterThan(0);
}

test('every field explains what is wrong in English and Polish; the fixed, complete client is saved normalized with its pictures', async ({
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

  // Every other field, and the pictures.
  await page.getByLabel('Salutation').selectOption({ label: 'Dr' });
  await page.getByLabel('Gender').selectOption({ label: 'Female' });
  await choose(page, 'Language', 'Polish');
  const category = page.getByLabel('Category', { exact: true });
  await category.selectOption({ index: 1 });
  const categoryName = await category.locator('option:checked').textContent();
  const subcategory = page.getByLabel('Sub-category');
  await subcategory.selectOption({ index: 1 });
  const subcategoryName = await subcategory.locator('option:checked').textContent();
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Inactive' });
  await page.getByLabel('Company name', { exact: true }).fill(`${name} sp. z o.o.`);
  await page.getByLabel('Office phone').fill('22 123 45 67');
  await page.getByLabel('City', { exact: true }).fill('Warszawa');
  await page.getByLabel('State/region').fill('mazowieckie');
  await page.getByLabel('Company address', { exact: true }).fill('ul. Marszałkowska 1\n00-950 Warszawa');
  await page.getByLabel('Shipping address', { exact: true }).fill('ul. Prosta 2\n00-838 Warszawa');
  await page.getByLabel('E-mail notifications').uncheck();
  await pickImage(page, page.getByRole('group', { name: 'Profile photo' }), 'face.jpg', 'jpeg');
  await pickImage(page, page.getByRole('group', { name: 'Company logo' }), 'logo.png', 'png');

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Salutation').locator('option:checked')).toHaveText('Dr');
  await expect(page.getByLabel('Gender').locator('option:checked')).toHaveText('Female');
  await expect(page.getByRole('combobox', { name: 'Language', exact: true })).toHaveValue(/Polish/);
  await expect(page.getByRole('combobox', { name: 'Country' })).toHaveValue('Poland');
  await expect(page.getByLabel('Category', { exact: true }).locator('option:checked')).toHaveText(categoryName ?? '');
  await expect(page.getByLabel('Sub-category').locator('option:checked')).toHaveText(subcategoryName ?? '');
  await expect(page.getByLabel('Status', { exact: true }).locator('option:checked')).toHaveText('Inactive');
  await expect(page.getByLabel('Company name', { exact: true })).toHaveValue(`${name} sp. z o.o.`);
  await expect(page.getByLabel('Office phone')).toHaveValue('+48 22 123 45 67');
  await expect(page.getByLabel('City', { exact: true })).toHaveValue('Warszawa');
  await expect(page.getByLabel('State/region')).toHaveValue('mazowieckie');
  await expect(page.getByLabel('Company address', { exact: true })).toHaveValue('ul. Marszałkowska 1\n00-950 Warszawa');
  await expect(page.getByLabel('Shipping address', { exact: true })).toHaveValue('ul. Prosta 2\n00-838 Warszawa');
  await expect(page.getByLabel('E-mail notifications')).not.toBeChecked();
  await expect(page.getByLabel('Tax name')).toHaveValue('NIP');
  await expectPicture(page.getByRole('img', { name: `Photo of ${name}` }));
  await expectPicture(page.getByRole('img', { name: `Logo of ${name} sp. z o.o.` }));
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

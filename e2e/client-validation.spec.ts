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
  // A retired scheme is not offered: typing its code says which one replaced it.
  const schemeBox = page.getByRole('combobox', { name: 'Electronic address scheme', exact: true });
  await schemeBox.fill('9955');
  await expect(page.getByText('Electronic address scheme: scheme 9955 is deprecated; use 0007 instead.')).toBeVisible();
  await schemeBox.press('Escape');
  await choose(page, 'Electronic address scheme', '0208');
  await page.getByLabel('Electronic address', { exact: true }).fill('0403019262');
  await page.getByRole('button', { name: 'Save', exact: true }).click();

  /** Each field's label and message, in English and in Polish. */
  const errors: { en: [string, RegExp]; pl: [string, RegExp] }[] = [
    {
      en: ['E-mail', /^E-mail must be an e-mail address like name@example\.com\.$/],
      pl: ['E-mail', /^Pole „E-mail” musi być adresem e-mail, np\. nazwa@example\.com\.$/],
    },
    {
      en: ['Mobile phone', /^Mobile phone is not a valid phone number\. Enter it with the country dial code/],
      pl: ['Telefon komórkowy', /^Pole „Telefon komórkowy” nie jest poprawnym numerem telefonu\./],
    },
    {
      en: ['Tax number', /^Tax number: this NIP number fails its check digit.*a valid one looks like 526-000-12-46/],
      pl: ['Numer podatkowy', /^Pole „Numer podatkowy”: ten numer NIP ma błędną cyfrę kontrolną.*526-000-12-46/],
    },
    {
      en: ['Postal code', /^Postal code does not look like a postal code in Poland\. Write it like 00-950\.$/],
      pl: ['Kod pocztowy', /^Pole „Kod pocztowy” nie wygląda na kod pocztowy w kraju Polska\. Wpisz go jak 00-950\.$/],
    },
    {
      en: ['Official website', /^Official website must be a web address starting with http:\/\/ or https:\/\//],
      pl: ['Oficjalna strona internetowa', /musi być adresem strony zaczynającym się od http:\/\/ lub https:\/\//],
    },
    {
      en: ['Electronic address', /^Electronic address: this number fails the check digit of scheme 0208.*0403019261/],
      pl: ['Adres elektroniczny', /^Pole „Adres elektroniczny”: ten numer ma błędną cyfrę kontrolną schematu 0208/],
    },
  ];
  for (const locale of ['en', 'pl'] as const) {
    for (const {
      [locale]: [label, message],
    } of errors) {
      const field = page.getByLabel(label, { exact: true });
      await expect(field).toHaveAttribute('aria-invalid', 'true');
      await expect(field).toHaveAccessibleDescription(message);
    }
    if (locale === 'en') {
      await expect(page.getByRole('heading', { name: 'New client' })).toBeVisible();
      // The same errors in Polish, at once, without saving again.
      await page.getByLabel('Interface language').selectOption({ label: 'Polski' });
    }
  }
  await page.getByRole('combobox', { name: 'Schemat adresu elektronicznego', exact: true }).fill('9955');
  await expect(
    page.getByText('Pole „Schemat adresu elektronicznego”: schemat 9955 jest wycofany; użyj 0007.'),
  ).toBeVisible();
  await page.getByRole('combobox', { name: 'Schemat adresu elektronicznego', exact: true }).press('Escape');
  await page.getByLabel('Język interfejsu').selectOption({ label: 'English' });

  // Rules that read the country follow it at once: the same postal code and NIP are judged as German ones.
  await choose(page, 'Country', 'DE', /Germany/);
  await expect(page.getByLabel('Postal code')).toHaveAccessibleDescription(
    'Postal code does not look like a postal code in Germany. Write it like 10115.',
  );
  await expect(page.getByLabel('Tax number')).toHaveAccessibleDescription(
    /^Tax number: USt-IdNr\. numbers from Germany/,
  );
  await choose(page, 'Country', 'Polska', /Poland/);
  await expect(page.getByLabel('Postal code')).toHaveAccessibleDescription(/in Poland\. Write it like 00-950/);

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
  const subcategory = page.getByLabel('Sub-category');
  // A sub-category belongs to its category: changing the category clears the one chosen under the old one.
  await category.selectOption({ index: 2 });
  await subcategory.selectOption({ index: 1 });
  await category.selectOption({ index: 1 });
  await expect(subcategory).toHaveValue('');
  const categoryName = await category.locator('option:checked').textContent();
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

import { writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { signIn, uniqueName } from './helpers';

/** The CSV import wizard from the client list: the mapping step, the dry run, the import's progress, bad files. */

test('an import with a mapping step: Polish headers, a column remapped, a row error, progress, the clients listed', async ({
  page,
}) => {
  const family = uniqueName('Importowski');
  const csv = [
    'Imię i nazwisko;Adres e-mail;Kraj;Miejscowość',
    `Anna ${family};anna.${Date.now()}@import.example.pl;PL;Kraków`,
    `Bogdan ${family};not-an-e-mail;PL;Gdańsk`,
    `Celina ${family};celina.${Date.now()}@import.example.pl;PL;Łódź`,
  ].join('\r\n');

  await signIn(page);
  await page.getByRole('link', { name: 'Import CSV' }).click();
  await expect(page.getByRole('heading', { name: 'Import clients from CSV' })).toBeVisible();
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: 'klienci.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Next: columns' }).click();

  // Known Polish headers are mapped; "Miejscowość" is not one, so it starts skipped and is mapped by hand.
  await expect(page.getByRole('heading', { name: '2. Columns' })).toBeVisible();
  await expect(page.getByLabel('Field for the column Imię i nazwisko')).toHaveValue('name');
  await expect(page.getByLabel('Field for the column Adres e-mail')).toHaveValue('email');
  const city = page.getByLabel('Field for the column Miejscowość');
  await expect(city).toHaveValue('');
  await expect(page.getByRole('row', { name: /Miejscowość/ })).toContainText('Kraków');
  await city.selectOption({ label: 'City' });
  await page.getByRole('radio', { name: 'Update the existing client when the e-mail matches' }).check();

  // The dry run names the bad row, its field and the reason, and counts what the import would do.
  await page.getByRole('button', { name: 'Check (dry run)' }).click();
  await expect(page.getByRole('heading', { name: '3. Check' })).toBeVisible();
  const errors = page.getByRole('table', { name: /Rows with errors: 1/ });
  const errorRow = errors.getByRole('row').filter({ hasText: 'Row 2' });
  await expect(errorRow).toHaveCount(1);
  await expect(errorRow).toContainText('E-mail');
  await expect(errorRow).toContainText(/e-mail/i);
  await expect(page.getByRole('definition').first()).toHaveText('2');

  await page.getByRole('button', { name: 'Import (clients: 2)' }).click();
  const progress = page.getByRole('progressbar', { name: 'Import progress' });
  await expect(progress).toHaveAttribute('aria-valuemax', '3');
  await expect(progress).toHaveAttribute('aria-valuenow', '3');
  await expect(page.getByRole('heading', { name: '4. Import' })).toBeVisible();
  await expect(page.getByText('Rows done: 3 of 3')).toBeVisible();
  await expect(page.getByRole('table', { name: /Rows with errors: 1/ })).toContainText('Row 2');

  await page.getByRole('link', { name: 'Back to the client list' }).last().click();
  await page.getByRole('searchbox', { name: 'Search' }).fill(family);
  const rows = page.getByRole('grid', { name: 'Clients' }).getByRole('row');
  await expect(rows.filter({ hasText: `Anna ${family}` })).toHaveCount(1);
  await expect(rows.filter({ hasText: `Celina ${family}` })).toHaveCount(1);
  await expect(rows.filter({ hasText: `Bogdan ${family}` })).toHaveCount(0);
});

test('a bad file shows the server’s reason on screen', async ({ page }, testInfo) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Import CSV' }).click();
  const file = page.getByLabel('CSV file');
  const next = page.getByRole('button', { name: 'Next: columns' });

  // Pasted text goes the same way as a file.
  await page.getByLabel('Or paste CSV text').fill('Full name,E-mail\nAnna,anna@paste.example\nBogdan\n');
  await next.click();
  await expect(page.getByRole('alert')).toContainText('1 row(s) do not have as many fields as the header (2)');
  await page.getByLabel('Or paste CSV text').fill('');

  const spreadsheet = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 7)]);
  await file.setInputFiles({ name: 'clients.xlsx', mimeType: 'application/octet-stream', buffer: spreadsheet });
  await next.click();
  await expect(page.getByRole('alert')).toContainText('This is not a CSV text file (it looks like an Excel');

  await file.setInputFiles({ name: 'header.csv', mimeType: 'text/csv', buffer: Buffer.from('Full name,E-mail\r\n') });
  await next.click();
  await expect(page.getByRole('alert')).toHaveText('The file has a header but no rows of clients.');
  await expect(page.getByRole('heading', { name: '1. File' })).toBeVisible();

  const huge = testInfo.outputPath('huge.csv');
  await writeFile(huge, Buffer.concat([Buffer.from('Full name\n'), Buffer.alloc(51 * 1024 * 1024, 'a\n')]));
  await file.setInputFiles(huge);
  await next.click();
  await expect(page.getByRole('alert')).toHaveText('The file is larger than 50 MB; split it into smaller files.');
});

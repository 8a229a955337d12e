import { readFile } from 'node:fs/promises';
import { expect, type Locator, type Page, test } from '@playwright/test';
import sharp from 'sharp';
import { signIn, uniqueName } from './helpers';

/**
 * Profile photo, company logo and documents on a client card, in a real browser against a real server
 * (playwright.config.ts starts it). Images are made by the image library here; found by role and label only.
 */

/** Creates a client through the form and stays on its card. */
async function newClient(page: Page, name: string, companyName: string): Promise<void> {
  await page.getByRole('link', { name: 'New client' }).click();
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Company name').fill(companyName);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
}

/** Clicks a button that opens the file picker and picks `file` in it. */
async function pick(page: Page, button: Locator, file: { name: string; mimeType: string; buffer: Buffer }) {
  const chooser = page.waitForEvent('filechooser');
  await button.click();
  await (await chooser).setFiles(file);
}

/** The image has arrived and decoded: the server answered with a real picture. */
async function expectLoaded(image: Locator): Promise<void> {
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBeGreaterThan(0);
}

const colour = (r: number, g: number, b: number) => ({ r, g, b });
const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: colour(30, 120, 200) } })
    .png()
    .toBuffer();
const jpeg = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: colour(220, 90, 20) } })
    .jpeg()
    .toBuffer();

test('a photo and a logo are uploaded, shown, kept after a reload, refused as SVG, and removed', async ({ page }) => {
  await signIn(page);
  const name = uniqueName('Pictured Paula');
  await newClient(page, name, 'Acme Pictures');

  const photo = page.getByRole('group', { name: 'Profile photo' });
  const logo = page.getByRole('group', { name: 'Company logo' });
  await expect(photo.getByText('PNG, JPEG, WebP or GIF, up to 5 MB.')).toBeVisible();
  // Too large: refused in the browser before anything is sent, in words that name the limit.
  const side = 1500;
  await pick(page, photo.getByRole('button', { name: 'Upload' }), {
    name: 'huge.png',
    mimeType: 'image/png',
    buffer: await sharp(Buffer.alloc(side * side * 3, 0x7f), { raw: { width: side, height: side, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer(),
  });
  await expect(photo.getByRole('alert')).toHaveText('Profile photo can be at most 5 MB; "huge.png" is larger.');
  await pick(page, photo.getByRole('button', { name: 'Upload' }), {
    name: 'paula.png',
    mimeType: 'image/png',
    buffer: await png(400, 300),
  });
  await expectLoaded(photo.getByRole('img', { name: 'Profile photo' }));
  await expectLoaded(page.getByRole('img', { name: `Photo of ${name}` }));
  await expect(photo.getByRole('alert')).toHaveCount(0);

  await pick(page, logo.getByRole('button', { name: 'Upload' }), {
    name: 'acme.jpg',
    mimeType: 'image/jpeg',
    buffer: await jpeg(600, 200),
  });
  await expectLoaded(logo.getByRole('img', { name: 'Company logo' }));
  await expectLoaded(page.getByRole('img', { name: 'Logo of Acme Pictures' }));

  await page.reload();
  await expectLoaded(page.getByRole('img', { name: `Photo of ${name}` }));
  await expectLoaded(page.getByRole('img', { name: 'Logo of Acme Pictures' }));
  await expect(photo.getByRole('button', { name: 'Replace' })).toBeVisible();

  // An SVG is refused by the server, whatever the browser says it is; the photo stays as it was.
  await pick(page, photo.getByRole('button', { name: 'Replace' }), {
    name: 'vector.svg',
    mimeType: 'image/svg+xml',
    buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><script>alert(1)</script></svg>'),
  });
  await expect(photo.getByRole('alert')).toHaveText(
    'Profile photo cannot be an SVG image (it can carry scripts); upload a PNG, JPEG, WebP or GIF.',
  );
  await expectLoaded(photo.getByRole('img', { name: 'Profile photo' }));

  // The list shows the photo in the client's row.
  await page.getByRole('link', { name: /Back to clients/ }).click();
  await page.getByRole('searchbox', { name: 'Search' }).fill(name);
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
  await expect(row).toHaveCount(1);
  // The avatar is decoration next to the name (empty alt, no role), so it is read from the row's DOM.
  await expect
    .poll(() => row.evaluate((element) => element.querySelector('img')?.naturalWidth ?? 0))
    .toBeGreaterThan(0);
  await row.getByRole('link', { name, exact: true }).click();

  // Removing the photo, after confirming, brings the initial back.
  await photo.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click();
  await expect(photo.getByText('None', { exact: true })).toBeVisible();
  await expect(page.getByRole('img', { name: `Photo of ${name}` })).toHaveCount(0);
  await expectLoaded(page.getByRole('img', { name: 'Logo of Acme Pictures' }));
});

test('a document is uploaded, listed, downloaded under its own name, and deleted', async ({ page }) => {
  await signIn(page);
  await newClient(page, uniqueName('Documented Dora'), 'Dora Docs');
  await page.getByRole('tab', { name: 'Documents' }).click();
  await expect(page.getByText('No documents yet.')).toBeVisible();

  const fileName = 'Oferta 2026 – zażółć.pdf';
  const content = Buffer.from('%PDF-1.4\n% Kartoteka e2e\n%%EOF\n');
  await pick(page, page.getByRole('button', { name: 'Upload documents' }), {
    name: fileName,
    mimeType: 'application/pdf',
    buffer: content,
  });

  const table = page.getByRole('table', { name: 'Documents' });
  const row = table.getByRole('row').filter({ hasText: fileName });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell', { name: `${content.length} B` })).toBeVisible();
  await expect(row.getByRole('cell', { name: 'Administrator' })).toBeVisible();

  const downloading = page.waitForEvent('download');
  await row.getByRole('link', { name: `Download ${fileName}` }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(fileName);
  expect((await readFile(await download.path())).equals(content)).toBe(true);

  await row.getByRole('button', { name: `Delete ${fileName}` }).click();
  const dialog = page.getByRole('alertdialog', { name: `Delete “${fileName}”?` });
  await dialog.getByRole('button', { name: 'Delete document' }).click();
  await expect(table).toHaveCount(0);
  await expect(page.getByText('No documents yet.')).toBeVisible();
});

test('a photo and a logo chosen on the New client page are saved with the new client', async ({ page }) => {
  await signIn(page);
  const name = uniqueName('Newcomer Nina');
  await page.getByRole('link', { name: 'New client' }).click();
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Company name').fill('Nina Imports');
  const photo = page.getByRole('group', { name: 'Profile photo' });
  const logo = page.getByRole('group', { name: 'Company logo' });
  await pick(page, photo.getByRole('button', { name: 'Upload' }), {
    name: 'nina.jpg',
    mimeType: 'image/jpeg',
    buffer: await jpeg(300, 300),
  });
  // Shown from the chosen file before anything is sent.
  await expectLoaded(photo.getByRole('img', { name: 'Profile photo' }));
  await pick(page, logo.getByRole('button', { name: 'Upload' }), {
    name: 'nina-logo.png',
    mimeType: 'image/png',
    buffer: await png(500, 100),
  });
  await expectLoaded(logo.getByRole('img', { name: 'Company logo' }));
  await page.getByRole('button', { name: 'Save', exact: true }).click();

  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
  await expectLoaded(page.getByRole('img', { name: `Photo of ${name}` }));
  await expectLoaded(page.getByRole('img', { name: 'Logo of Nina Imports' }));
  await page.reload();
  await expectLoaded(page.getByRole('img', { name: `Photo of ${name}` }));
  await expectLoaded(page.getByRole('img', { name: 'Logo of Nina Imports' }));
});

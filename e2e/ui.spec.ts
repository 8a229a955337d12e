import { expect, type Page, type TestInfo, test } from '@playwright/test';
import { signIn } from './helpers';

/**
 * The screens at phone (390×844) and desktop (1440×900) size, with screenshots attached to the report; the
 * keyboard shortcuts; the light/dark theme switch.
 */

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

/** Nothing sticks out sideways: the page never needs a horizontal scroll. Failing, it names what sticks out. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const sticking = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
      .filter(
        (element) =>
          !element.parentElement || element.parentElement.getBoundingClientRect().right <= window.innerWidth + 1,
      )
      .map(
        (element) =>
          `${element.tagName.toLowerCase()}.${element.className} (${Math.round(element.getBoundingClientRect().left)}–${Math.round(element.getBoundingClientRect().right)}px)`,
      ),
  );
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, sticking.join(', ')).toBeLessThanOrEqual(0);
}

function listRows(page: Page) {
  return page.getByRole('grid', { name: 'Clients' }).locator('tbody').getByRole('row');
}

async function openFirstCard(page: Page): Promise<void> {
  await listRows(page).first().getByRole('link').first().click();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeVisible();
}

test('on a phone the list is a stack of cards and the card and monitor fit the screen', async ({ page }, testInfo) => {
  await page.setViewportSize(PHONE);
  await signIn(page);
  const rows = listRows(page);
  await expect(rows.nth(1)).toBeVisible();
  await expectNoSidewaysScroll(page);
  // Cards: each client spans the width and sits below the previous one, its name above its e-mail.
  const first = await rows.nth(0).boundingBox();
  const second = await rows.nth(1).boundingBox();
  if (!first || !second) throw new Error('rows are not drawn');
  expect(first.width).toBeGreaterThan(PHONE.width * 0.8);
  expect(second.y).toBeGreaterThanOrEqual(first.y + first.height);
  const cells = rows.nth(0).getByRole('gridcell');
  const name = await rows.nth(0).getByRole('rowheader').boundingBox();
  const email = await cells.last().boundingBox();
  if (!name || !email) throw new Error('cells are not drawn');
  expect(email.y).toBeGreaterThan(name.y);
  await attachScreenshot(page, testInfo, 'phone-list');

  await openFirstCard(page);
  await expectNoSidewaysScroll(page);
  // The card's sections stack: one above the other, the same left edge.
  const sections = page.locator('.card-form .section');
  const a = await sections.nth(0).boundingBox();
  const b = await sections.nth(1).boundingBox();
  if (!a || !b) throw new Error('sections are not drawn');
  expect(Math.round(b.x)).toBe(Math.round(a.x));
  expect(b.y).toBeGreaterThan(a.y);
  await attachScreenshot(page, testInfo, 'phone-card');

  await page.getByRole('link', { name: 'Status monitor' }).click();
  await expect(page.getByRole('heading', { name: 'Status monitor', level: 1 })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await attachScreenshot(page, testInfo, 'phone-monitor');
});

test('on a desktop the list is a table and the card and monitor use the width', async ({ page }, testInfo) => {
  await page.setViewportSize(DESKTOP);
  await signIn(page);
  const rows = listRows(page);
  await expect(rows.nth(1)).toBeVisible();
  await expectNoSidewaysScroll(page);
  // A table: the name and the e-mail of a client side by side, under their column headers.
  const name = await rows.nth(0).getByRole('rowheader').boundingBox();
  const email = await rows.nth(0).getByRole('gridcell').nth(-3).boundingBox();
  if (!name || !email) throw new Error('cells are not drawn');
  expect(Math.abs(email.y - name.y)).toBeLessThan(name.height);
  expect(email.x).toBeGreaterThan(name.x);
  await expect(page.getByRole('columnheader', { name: 'E-mail' })).toBeVisible();
  await attachScreenshot(page, testInfo, 'desktop-list');

  await openFirstCard(page);
  await expectNoSidewaysScroll(page);
  await attachScreenshot(page, testInfo, 'desktop-card');

  await page.getByRole('link', { name: 'Status monitor' }).click();
  await expect(page.getByRole('heading', { name: 'Status monitor', level: 1 })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await attachScreenshot(page, testInfo, 'desktop-monitor');
});

test('keyboard shortcuts: search, move in the list, open, new client, and the list of shortcuts', async ({ page }) => {
  await signIn(page);
  const rows = listRows(page);
  await expect(rows.nth(1)).toBeVisible();
  const search = page.getByRole('searchbox', { name: 'Search' });

  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  // Typed into a field, the keys are just letters.
  await page.keyboard.type('nj');
  await expect(search).toHaveValue('nj');
  await expect(page).toHaveURL(/\/clients\?.*search=nj/);
  await page.goto('/clients');
  await expect(rows.nth(1)).toBeVisible();
  await page.locator('h1').click();

  await page.keyboard.press('j');
  await expect(rows.nth(0)).toBeFocused();
  await page.keyboard.press('j');
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press('k');
  await expect(rows.nth(0)).toBeFocused();
  const name = (await rows.nth(0).getByRole('link').first().textContent()) ?? '';
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();

  await page.locator('h1').click();
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  await page.locator('h1').click();
  await page.keyboard.press('n');
  await expect(page.getByRole('heading', { name: 'New client' })).toBeVisible();

  // "?" lists the shortcuts in a dialog that keeps focus inside and closes on Escape.
  await page.locator('h1').click();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Focus the search box');
  await expect(dialog).toContainText('Next client in the list');
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    await expect(dialog.locator(':focus')).toHaveCount(1);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  // The same list from the header's button.
  await page.getByRole('button', { name: 'Keyboard shortcuts (?)' }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
});

async function pageBackground(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
}

/** Dark means a dark page: the background's channels are low. */
async function isDark(page: Page): Promise<boolean> {
  const channels = (await pageBackground(page)).match(/\d+/g)?.slice(0, 3).map(Number) ?? [];
  return channels.reduce((sum, value) => sum + value, 0) / 3 < 100;
}

test('the theme follows the system until chosen, and the choice is remembered', async ({ page }, testInfo) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await signIn(page);
  const theme = page.getByLabel('Theme');
  await expect(theme).toHaveValue('system');
  await expect.poll(() => isDark(page)).toBe(true);
  await attachScreenshot(page, testInfo, 'dark-list');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => isDark(page)).toBe(false);

  await theme.selectOption({ label: 'Dark' });
  await expect.poll(() => isDark(page)).toBe(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Clients', exact: true })).toBeVisible();
  await expect(page.getByLabel('Theme')).toHaveValue('dark');
  await expect.poll(() => isDark(page)).toBe(true);

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByLabel('Theme').selectOption({ label: 'Light' });
  await expect.poll(() => isDark(page)).toBe(false);

  await page.getByLabel('Theme').selectOption({ label: 'As the system' });
  await expect.poll(() => isDark(page)).toBe(true);
});

async function trpcPost(page: Page, path: string, input: Record<string, unknown>): Promise<unknown> {
  const response = await page.request.post(`/trpc/${path}`, {
    headers: { 'content-type': 'application/json', 'x-kartoteka-csrf': '1' },
    data: { json: input },
  });
  expect(response.ok(), await response.text()).toBe(true);
  return ((await response.json()) as { result: { data: { json: unknown } } }).result.data.json;
}

test('a change someone else saves to the open card comes as a toast with Undo', async ({ page, browser }) => {
  const suffix = Date.now().toString(36);
  const agent = { email: `toast.${suffix}@example.com`, password: `toast-agent-password-${suffix}` };
  const agentName = `Tomasz Toast ${suffix}`;
  await signIn(page);
  await trpcPost(page, 'users.create', { ...agent, name: agentName, role: 'agent' });
  const client = (await trpcPost(page, 'clients.create', {
    name: `Toast Client ${suffix}`,
    companyName: 'Before Ltd',
  })) as { id: number };
  await page.goto(`/clients/${client.id}`);
  const company = page.getByLabel('Company name');
  await expect(company).toHaveValue('Before Ltd');

  const other = await (await browser.newContext()).newPage();
  await signIn(other, agent);
  await other.goto(`/clients/${client.id}`);
  await other.getByLabel('Company name').fill('After Ltd');
  await other.getByRole('button', { name: 'Save', exact: true }).click();

  const toast = page.getByRole('status').filter({ hasText: `${agentName} changed this card: Company name.` });
  await expect(toast).toBeVisible();
  await expect(company).toHaveValue('After Ltd');
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Their change is undone.' })).toBeVisible();
  await expect(company).toHaveValue('Before Ltd');
  // The other person sees the value come back, live.
  await expect(other.getByLabel('Company name')).toHaveValue('Before Ltd');
});

import AxeBuilder from '@axe-core/playwright';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { signIn, uniqueName } from './helpers';

/**
 * The accessibility audit: axe-core (WCAG 2.1 A and AA rules) on every page, in the light and the dark theme;
 * any serious or critical violation fails the test with the rule, the reason and the offending elements.
 */

async function audit(page: Page, name: string): Promise<void> {
  // Wait for the first load to finish: skeletons and half-drawn pages are not what people use.
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes
          .map((node) => `  ${node.target.join(' ')} — ${node.failureSummary ?? ''}`)
          .join('\n')}`,
    );
  expect(serious, `${name}: accessibility violations`).toEqual([]);
}

/** Audits the page as it is, then again in the other colour scheme. */
async function auditBothThemes(page: Page, name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await audit(page, `${name} (light)`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await audit(page, `${name} (dark)`);
  await page.emulateMedia({ colorScheme: 'light' });
}

// Each audit takes a few seconds; a test audits several pages in two themes.
test.describe.configure({ timeout: 180_000 });
// Buttons ease their colours, also on a theme switch; axe must see the settled theme, not a frame mid-way
// (the stylesheet drops the transitions for reduced motion). Applies to browser.newContext() windows too.
test.use({ reducedMotion: 'reduce' });

async function newWindow(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

test('sign-in, list and card pages have no serious or critical accessibility violations', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in to Kartoteka' })).toBeVisible();
  await auditBothThemes(page, 'sign-in');

  await signIn(page);
  await expect(page.getByRole('row').nth(1)).toBeVisible();
  await auditBothThemes(page, 'client list');

  await page.getByRole('row').nth(1).getByRole('link').first().click();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeVisible();
  await auditBothThemes(page, 'client card');

  await page.goto('/clients/new');
  await expect(page.getByRole('heading', { name: 'New client' })).toBeVisible();
  await audit(page, 'new client');
});

test('the monitor, settings and account pages have no serious or critical accessibility violations', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/monitor');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await auditBothThemes(page, 'monitor');

  for (const [path, name] of [
    ['/settings', 'settings'],
    ['/settings/users', 'users'],
    ['/settings/audit', 'audit log'],
    ['/settings/outbox', 'outbox'],
    ['/account', 'account'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    await audit(page, name);
  }

  // The shortcuts dialog is a page of its own for someone who uses it.
  await page.goto('/clients');
  await expect(page.getByRole('row').nth(1)).toBeVisible();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await audit(page, 'shortcuts dialog');
});

test('set-password and portal pages have no serious or critical accessibility violations', async ({
  browser,
  page,
}) => {
  const name = uniqueName('Audit Ala');
  const email = `audit.${Date.now().toString(36)}@client.test`;
  const password = 'audit-client-password';
  await signIn(page);
  await page.getByRole('link', { name: 'New client' }).click();
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Login allowed' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const link = await page.getByLabel('Set-password link').inputValue();

  const client = await newWindow(browser);
  await client.goto('/set-password?token=not-a-real-token');
  await expect(client.getByRole('heading', { level: 1 })).toBeVisible();
  await audit(client, 'set-password with a bad link');
  await client.goto(link);
  await expect(client.getByRole('heading', { name: 'Set your password' })).toBeVisible();
  await auditBothThemes(client, 'set-password');
  await client.getByLabel('New password', { exact: true }).fill(password);
  await client.getByLabel('Repeat the password', { exact: true }).fill(password);
  await client.getByRole('button', { name: 'Set password' }).click();
  await client.getByRole('link', { name: 'Go to sign-in' }).click();
  await client.getByLabel('Password', { exact: true }).fill(password);
  await client.getByRole('button', { name: 'Sign in' }).click();
  await expect(client.getByRole('heading', { name, exact: true })).toBeVisible();
  await auditBothThemes(client, 'portal');
});

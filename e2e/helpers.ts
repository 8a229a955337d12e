import { expect, type Locator, type Page } from '@playwright/test';
import { E2E_ADMIN } from './env';

/** Signs in through the sign-in form (the administrator unless told otherwise) and waits for the client list. */
export async function signIn(page: Page, account: { email: string; password: string } = E2E_ADMIN): Promise<void> {
  await page.goto('/');
  await page.getByLabel('E-mail', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Clients', exact: true })).toBeVisible();
}

/** Picks an entry of a searchable list (country, language, scheme) by typing part of its name. */
export async function choose(
  page: Page,
  label: string,
  text: string,
  option: RegExp = new RegExp(text),
): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: true }).fill(text);
  await page.getByRole('option', { name: option }).first().click();
}

/** A name no demo client has, so search and filters can find exactly this one. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}`;
}

/** Calls a tRPC mutation with the page's session, as the app does (superjson body, CSRF header); answers its result. */
export async function mutate<T>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await page.request.post(`/trpc/${path}`, {
    headers: { 'content-type': 'application/json', 'x-kartoteka-csrf': '1' },
    data: { json: input },
  });
  expect(response.ok(), await response.text()).toBe(true);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

/**
 * Ticks a list checkbox from the keyboard (the native boxes are visually hidden under the drawn ones). A live
 * refresh of the list can move the grid's focus between focusing and pressing, so try again, as a user would.
 */
export async function tick(checkbox: Locator): Promise<void> {
  await expect(async () => {
    if (!(await checkbox.isChecked())) {
      await checkbox.focus();
      await checkbox.press('Space');
    }
    await expect(checkbox).toBeChecked({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
}

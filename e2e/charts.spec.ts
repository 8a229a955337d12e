import { expect, type Locator, type Page, test } from '@playwright/test';
import { mutate, signIn, uniqueName } from './helpers';

/**
 * The pictures: the status monitor's chart of status changes per day and its breakdown of active and inactive
 * clients, and the card's activity chart, each read through its text alternative (the summary and the table),
 * and each following a change made elsewhere, live.
 */

/** A chart's numbers table, opened. */
async function chartTable(page: Page, title: string): Promise<Locator> {
  const figure = page.getByRole('figure', { name: title });
  await figure.getByText('Show as a table').click();
  return figure.getByRole('table');
}

/** The count in today's row of a per-day chart's table. */
const today = (table: Locator) => table.getByRole('row', { name: /\(today\)/ }).getByRole('cell');

/** A number in a chart's summary, found by the words after it. */
async function summaryNumber(page: Page, name: RegExp, after: string): Promise<number> {
  const label = (await page.getByRole('img', { name }).getAttribute('aria-label')) ?? '';
  const found = new RegExp(`(\\d+) ${after}`).exec(label);
  expect(found, label).not.toBeNull();
  return Number(found?.[1]);
}

test('a status change shows up live in today’s bar, in the breakdown and on the card’s activity chart', async ({
  page,
}) => {
  await signIn(page);
  const { id } = await mutate<{ id: number }>(page, 'clients.create', {
    name: uniqueName('Chart Celina'),
    country: 'IS',
  });

  await page.getByRole('link', { name: 'Status monitor' }).click();
  const perDay = await chartTable(page, 'Status changes per day');
  await expect(today(perDay)).toHaveText(/^\d+$/);
  const before = Number(await today(perDay).textContent());
  await expect(page.getByRole('img', { name: /^By country:/ })).toBeVisible();
  const inactiveBefore = await summaryNumber(page, /^By country:/, 'inactive');

  await mutate(page, 'clients.setStatus', { ids: [id], status: 'inactive' });
  await expect(today(perDay)).toHaveText(String(before + 1));
  await expect.poll(() => summaryNumber(page, /^By country:/, 'inactive')).toBe(inactiveBefore + 1);

  // The card's History tab: the client's own events per day (created, then the status change).
  await page.goto(`/clients/${id}`);
  await page.getByRole('tab', { name: 'History' }).click();
  const activity = await chartTable(page, 'Activity over the last 90 days');
  await expect(today(activity)).toHaveText('2');
  await mutate(page, 'clients.setStatus', { ids: [id], status: 'active' });
  await expect(today(activity)).toHaveText('3');
});

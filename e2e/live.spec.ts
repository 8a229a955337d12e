import { type Browser, expect, type Page, test, type WebSocketRoute } from '@playwright/test';
import { signIn } from './helpers';

/**
 * Real time in two browser windows against a real server: the administrator and a manager on the same card see
 * each other, each other's saves, a conflict on the same field, each other's notes, and the status monitor.
 */

const ADMIN_NAME = 'Administrator';

/** A second staff user, created through the API with the administrator's session. */
async function createManager(admin: Page, name: string): Promise<{ email: string; password: string }> {
  const user = { email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`, password: 'live-e2e-password' };
  const response = await admin.request.post('/trpc/users.create', {
    headers: { 'content-type': 'application/json', 'x-kartoteka-csrf': '1' },
    data: { json: { ...user, name, role: 'manager' } },
  });
  expect(response.ok(), await response.text()).toBe(true);
  return user;
}

async function newWindow(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

/** A card's text field; its label is also part of the others' presence badges, so find it by role. */
const field = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true });

/** The header's connection state. */
const connection = (page: Page) => page.getByRole('banner').getByText(/^(Live|Reconnecting…|Offline)/);

test('two windows on one card: presence, live saves, a same-field conflict, live notes and the status monitor', async ({
  browser,
}) => {
  const suffix = Date.now().toString(36);
  const managerName = `Bea Live ${suffix}`;
  const clientName = `Live Lena ${suffix}`;

  const admin = await newWindow(browser);
  await signIn(admin);
  const manager = await newWindow(browser);
  // The manager's socket passes through the test, which can cut it like a dropped connection.
  let managerSocket: WebSocketRoute | undefined;
  await manager.routeWebSocket(/\/trpc/, (socket) => {
    socket.connectToServer();
    managerSocket = socket;
  });
  const credentials = await createManager(admin, managerName);
  await signIn(manager, credentials);

  // Both windows hold the live stream.
  await expect(connection(admin)).toHaveText(/Live/);
  await expect(connection(manager)).toHaveText(/Live/);
  // Losing the network shows at once; back online, the stream resumes.
  await manager.context().setOffline(true);
  await expect(connection(manager)).toHaveText(/Offline/);
  await manager.context().setOffline(false);
  await expect(connection(manager)).toHaveText(/Live/);

  await admin.getByRole('link', { name: 'New client' }).click();
  await admin.getByLabel('Full name').fill(clientName);
  await field(admin, 'Company name').fill('Acme');
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(admin.getByRole('heading', { name: clientName, exact: true })).toBeVisible();
  await manager.goto(new URL(admin.url()).pathname);
  await expect(manager.getByRole('heading', { name: clientName, exact: true })).toBeVisible();

  // Presence: each sees the other on the card, and which field the other is in.
  await expect(admin.getByRole('img', { name: managerName, exact: true })).toBeVisible();
  await expect(manager.getByRole('img', { name: ADMIN_NAME, exact: true })).toBeVisible();
  await field(manager, 'City').focus();
  await expect(admin.getByRole('img', { name: `${managerName} (editing City)` })).toBeVisible();
  await expect(admin.getByText(`${managerName} is editing City`)).toBeVisible();
  await field(manager, 'City').blur();
  await expect(admin.getByRole('img', { name: managerName, exact: true })).toBeVisible();

  // A save in one window appears in the other in place, with who made it.
  await field(admin, 'Company name').fill('Acme Live');
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(field(manager, 'Company name')).toHaveValue('Acme Live');
  await expect(manager.getByText(`Changed by ${ADMIN_NAME}`, { exact: true })).toBeVisible();

  // Same field: the manager's unsaved edit stays under the cursor; the other value is shown, not applied.
  // A change made while the manager's connection is down arrives after it reconnects, and it says it caught up.
  await managerSocket?.close();
  await field(admin, 'Tax name').fill('VAT');
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(connection(manager)).toHaveText(/Caught up/);
  await expect(field(manager, 'Tax name')).toHaveValue('VAT');

  await field(manager, 'Company name').fill('Acme by Bea');
  await field(manager, 'City').fill('Gdańsk');
  await field(admin, 'Company name').fill('Acme by Admin');
  await field(admin, 'State/region').fill('Pomorskie');
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(manager.getByText(`Changed by ${ADMIN_NAME} — their value: Acme by Admin`)).toBeVisible();
  await expect(field(manager, 'Company name')).toHaveValue('Acme by Bea');
  await expect(field(manager, 'City')).toHaveValue('Gdańsk');
  // A field the manager has not touched takes the saved value at once, unsaved edits or not.
  await expect(field(manager, 'State/region')).toHaveValue('Pomorskie');

  // Saving shows the conflict with all three values; the other field of the same save applies.
  await manager.getByRole('button', { name: 'Save', exact: true }).click();
  const dialog = manager.getByRole('alertdialog', { name: 'Someone else changed these fields' });
  const row = dialog.getByRole('row', { name: /Company name/ });
  await expect(row.getByRole('cell', { name: 'Acme by Bea', exact: true })).toBeVisible();
  await expect(row.getByRole('cell', { name: /^Acme by Admin/ })).toBeVisible();
  await expect(row.getByRole('cell', { name: 'Acme Live', exact: true })).toBeVisible();
  await expect(field(admin, 'City')).toHaveValue('Gdańsk');
  await row.getByRole('radio', { name: 'Use mine' }).check();
  await dialog.getByRole('button', { name: 'Save my choices' }).click();
  await expect(dialog).toBeHidden();
  await expect(field(admin, 'Company name')).toHaveValue('Acme by Bea');
  await expect(field(manager, 'Company name')).toHaveValue('Acme by Bea');

  // A note added in one window appears in the other's Notes tab.
  await manager.getByRole('tab', { name: 'Notes' }).click();
  await admin.getByRole('tab', { name: 'Notes' }).click();
  const composer = admin.getByRole('form', { name: 'New note' });
  await composer.getByLabel('Note', { exact: true }).fill(`Live note ${suffix}`);
  await composer.getByRole('button', { name: 'Add note' }).click();
  await expect(
    manager
      .getByRole('list', { name: 'Notes' })
      .getByRole('listitem')
      .filter({ hasText: `Live note ${suffix}` }),
  ).toHaveCount(1);

  // The status monitor in one window shows a status change made in the other.
  // A status change by someone else applies at once, with a notice on the card.
  await admin.getByLabel('Status', { exact: true }).selectOption({ label: 'Inactive' });
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(manager.getByText(`${ADMIN_NAME} set the status to Inactive`)).toBeVisible();
  await expect(manager.getByLabel('Status', { exact: true })).toHaveValue('inactive');

  await manager.getByRole('link', { name: 'Status monitor' }).click();
  await expect(manager.getByRole('heading', { name: 'Status monitor' })).toBeVisible();
  const feed = manager.getByRole('region', { name: 'Changes, newest first' });
  // The change made before the page opened is there too (the feed reads the log), with the client's name.
  await expect(
    feed.getByRole('listitem').filter({ hasText: `${ADMIN_NAME} set ${clientName} to Inactive` }),
  ).toHaveCount(1);
  const inactiveCount = manager.getByRole('region', { name: 'Clients by status' }).getByRole('definition').nth(1);
  await expect(inactiveCount).toHaveText(/^\d+$/);
  const inactiveBefore = Number(await inactiveCount.textContent());
  await admin.getByLabel('Status', { exact: true }).selectOption({ label: 'Active' });
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(feed.getByRole('listitem').filter({ hasText: `${ADMIN_NAME} set ${clientName} to Active` })).toHaveCount(
    1,
  );
  await expect(manager.getByRole('status').filter({ hasText: 'Changes since you last looked' })).toBeVisible();
  // The counts follow: one inactive client fewer.
  await expect(inactiveCount).toHaveText(String(inactiveBefore - 1));
  await expect(manager.getByRole('status').filter({ hasText: 'Changes since you last looked: 1' })).toBeVisible();

  // Filtered to a country the client is not in, the feed leaves it out.
  await manager.getByRole('combobox', { name: 'Country', exact: true }).fill('Japan');
  await manager.getByRole('option', { name: /Japan/ }).click();
  await expect(feed.getByRole('listitem').filter({ hasText: clientName })).toHaveCount(0);
});

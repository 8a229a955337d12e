import { type Browser, expect, type Page, test } from '@playwright/test';
import { choose, signIn } from './helpers';

/**
 * The client portal end to end: an administrator turns "Login allowed" on and copies the one-time set-password
 * link; the client, in a browser of its own, sets a password, signs in, sees only its own card and changes its
 * e-invoicing address; the administrator, still on that card, sees the change arrive live.
 */

/** Creates a client through the API with the administrator's session; answers its id. */
async function createClient(admin: Page, record: Record<string, unknown>): Promise<number> {
  const response = await admin.request.post('/trpc/clients.create', {
    headers: { 'content-type': 'application/json', 'x-kartoteka-csrf': '1' },
    data: { json: record },
  });
  expect(response.ok(), await response.text()).toBe(true);
  return ((await response.json()) as { result: { data: { json: { id: number } } } }).result.data.json.id;
}

async function newWindow(browser: Browser, permissions: string[] = []): Promise<Page> {
  const context = await browser.newContext();
  if (permissions.length > 0) await context.grantPermissions(permissions);
  return context.newPage();
}

test('a client gets portal access, sets its password, edits its e-invoicing address, and staff see it live', async ({
  browser,
}) => {
  const suffix = Date.now().toString(36);
  const clientName = `Portal Pola ${suffix}`;
  const email = `pola.${suffix}@client.test`;
  const password = `pola-own-password-${suffix}`;

  const admin = await newWindow(browser, ['clipboard-read', 'clipboard-write']);
  await signIn(admin);
  const clientId = await createClient(admin, { name: clientName, email, country: 'DK' });
  const otherId = await createClient(admin, { name: `Someone Else ${suffix}` });

  // The administrator turns "Login allowed" on; the card's Access section offers the link to copy.
  await admin.goto(`/clients/${clientId}`);
  await expect(admin.getByRole('heading', { name: clientName, exact: true })).toBeVisible();
  const access = admin.getByRole('region', { name: 'Portal access' });
  await expect(access).toContainText('Portal sign-in is off.');
  await admin.getByRole('checkbox', { name: 'Login allowed' }).click();
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(access).toContainText(`Portal account: ${email}`);
  await expect(access).toContainText('Waiting for the client to set a password.');
  await access.getByRole('button', { name: 'Copy link' }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible();
  const link = await admin.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/\/set-password\?token=[\w-]{43}$/);
  await expect(access.getByLabel('Set-password link')).toHaveValue(link);

  // The client, in its own browser, sets its password through the link and signs in.
  const client = await newWindow(browser);
  await client.goto(link);
  await expect(client.getByRole('heading', { name: 'Set your password' })).toBeVisible();
  await expect(client.getByText(`For ${clientName} (${email})`)).toBeVisible();
  await client.getByLabel('New password', { exact: true }).fill('short');
  await client.getByRole('button', { name: 'Set password' }).click();
  await expect(client.getByText('Password must be at least 12 characters.')).toBeVisible();
  await client.getByLabel('New password', { exact: true }).fill(password);
  await client.getByLabel('Repeat the password', { exact: true }).fill(password);
  await client.getByRole('button', { name: 'Set password' }).click();
  await expect(client.getByText('Your password is set.')).toBeVisible();
  await client.getByRole('link', { name: 'Go to sign-in' }).click();
  await expect(client.getByLabel('E-mail', { exact: true })).toHaveValue(email);
  await client.getByLabel('Password', { exact: true }).fill(password);
  await client.getByRole('button', { name: 'Sign in' }).click();

  // Its own card, in the portal view, and nothing else: no client list, no other card.
  await expect(client.getByRole('heading', { name: clientName, exact: true })).toBeVisible();
  await expect(client.getByText('Your details with us')).toBeVisible();
  await expect(client.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(['My details']);
  await client.goto(`/clients/${otherId}`);
  await expect(client).toHaveURL(/\/portal$/);
  await client.goto('/clients');
  await expect(client).toHaveURL(/\/portal$/);
  await expect(client.getByText(`Someone Else ${suffix}`)).toHaveCount(0);
  // Only its contact, address and e-invoicing fields are editable; the rest is shown as text.
  await expect(client.getByRole('textbox', { name: 'Full name' })).toHaveCount(0);
  await expect(client.getByRole('textbox', { name: 'Tax number' })).toHaveCount(0);

  // The administrator watches the card while the client changes its e-invoicing address.
  await choose(client, 'Electronic address scheme', '0088');
  await client.getByRole('textbox', { name: 'Electronic address', exact: true }).fill('5790000435951');
  await client.getByRole('button', { name: 'Save changes' }).click();
  await expect(client.getByRole('status').filter({ hasText: 'Your changes are saved' })).toBeVisible();

  // Live, without a reload.
  await expect(admin.getByRole('textbox', { name: 'Electronic address', exact: true })).toHaveValue('5790000435951');
  await expect(admin.getByRole('combobox', { name: 'Electronic address scheme', exact: true })).toHaveValue(/^0088/);
  await expect(admin.getByText(`Changed by ${clientName}`).first()).toBeVisible();
});

test('staff accounts: an administrator invites a member with a link, changes the role and deactivates them', async ({
  browser,
}) => {
  const suffix = Date.now().toString(36);
  const name = `Marek Member ${suffix}`;
  const email = `marek.${suffix}@example.com`;
  const admin = await newWindow(browser, ['clipboard-read', 'clipboard-write']);
  await signIn(admin);
  await admin.getByRole('link', { name: 'Settings' }).click();
  await admin.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Users' }).click();

  const invite = admin.getByRole('region', { name: 'Add a staff member' });
  await invite.getByLabel('Name', { exact: true }).fill(name);
  await invite.getByLabel('E-mail', { exact: true }).fill(email);
  await invite.getByLabel('Role', { exact: true }).selectOption({ label: 'Viewer' });
  await invite.getByRole('button', { name: 'Add user' }).click();
  const handOver = admin.getByRole('region', { name: `Link for ${name}` });
  const link = await handOver.getByLabel('Set-password link').inputValue();
  expect(link).toMatch(/\/set-password\?token=/);

  const member = await newWindow(browser);
  await member.goto(link);
  await member.getByLabel('New password', { exact: true }).fill(`marek-password-${suffix}`);
  await member.getByLabel('Repeat the password', { exact: true }).fill(`marek-password-${suffix}`);
  await member.getByRole('button', { name: 'Set password' }).click();
  await member.getByRole('link', { name: 'Go to sign-in' }).click();
  await member.getByLabel('Password', { exact: true }).fill(`marek-password-${suffix}`);
  await member.getByRole('button', { name: 'Sign in' }).click();
  await expect(member.getByRole('heading', { name: 'Clients', exact: true })).toBeVisible();
  await expect(member.getByRole('link', { name: 'New client' })).toHaveCount(0);

  // A new role applies to the member's next step, without signing in again.
  await admin.getByLabel(`Role of ${name}`).selectOption({ label: 'Agent' });
  await expect(admin.getByRole('status').filter({ hasText: `${name} is now Agent` })).toBeVisible();
  await member.reload();
  await expect(member.getByRole('link', { name: 'New client' })).toBeVisible();

  // Deactivated: signed out at once.
  await admin.getByRole('button', { name: `Deactivate ${name}` }).click();
  await admin.getByRole('alertdialog').getByRole('button', { name: 'Deactivate' }).click();
  await expect(admin.getByRole('row', { name: new RegExp(name) })).toContainText('Deactivated');
  await member.reload();
  await expect(member.getByRole('heading', { name: 'Sign in to Kartoteka' })).toBeVisible();
});

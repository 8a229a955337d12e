import { expect, type Page, test } from '@playwright/test';
import { signIn, uniqueName } from './helpers';

/**
 * The card's Notes tab and its Projects and contracts tab in a real browser against a real server
 * (playwright.config.ts starts it with the demo data). Found by role and label only.
 */

/** Creates a client through the form and stays on its card. */
async function newClient(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: 'New client' }).click();
  await page.getByLabel('Full name').fill(name);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
}

test('a note with a link and two lines is shown as text with a clickable link, edited, then deleted', async ({
  page,
}) => {
  await signIn(page);
  await newClient(page, uniqueName('Noted Nora'));
  await page.getByRole('tab', { name: 'Notes' }).click();

  const composer = page.getByRole('form', { name: 'New note' });
  // An empty note is refused at the field.
  await composer.getByRole('button', { name: 'Add note' }).click();
  await expect(composer.getByLabel('Note', { exact: true })).toHaveAccessibleDescription(/Note is required\./);

  await composer
    .getByLabel('Note', { exact: true })
    .fill('Call back on <b>Monday</b>\nBrief: https://example.com/brief.');
  await composer.getByRole('radio', { name: 'Public' }).check();
  await composer.getByRole('button', { name: 'Add note' }).click();

  const notes = page.getByRole('list', { name: 'Notes' });
  const note = notes.getByRole('listitem').filter({ hasText: 'Call back on' });
  await expect(note).toHaveCount(1);
  await expect(note.getByText('Administrator')).toBeVisible();
  await expect(note.getByText('Public', { exact: true })).toBeVisible();
  // Markup is shown as the characters typed, never as HTML.
  await expect(note.getByText('<b>Monday</b>', { exact: false })).toBeVisible();
  const link = note.getByRole('link', { name: 'https://example.com/brief' });
  await expect(link).toHaveAttribute('href', 'https://example.com/brief');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  // The line break is kept on screen: innerText follows the rendering, so a collapsed break would read as a space.
  const body = note.getByRole('paragraph');
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what this checks.
  expect(await body.evaluate((element) => (element as HTMLElement).innerText)).toBe(
    'Call back on <b>Monday</b>\nBrief: https://example.com/brief.',
  );
  // The composer is empty again for the next note.
  await expect(composer.getByLabel('Note', { exact: true })).toHaveValue('');
  await expect(note.getByText('edited', { exact: true })).toHaveCount(0);

  // Edit: the note says it was edited.
  await note.getByRole('button', { name: /^Edit the note by Administrator/ }).click();
  const editor = page.getByRole('form', { name: 'Edit note' });
  await editor.getByLabel('Note', { exact: true }).fill('Call back on Tuesday\nBrief: https://example.com/brief');
  await editor.getByRole('radio', { name: 'Private' }).check();
  await editor.getByRole('button', { name: 'Save note' }).click();
  const edited = notes.getByRole('listitem').filter({ hasText: 'Call back on Tuesday' });
  await expect(edited.getByText('edited', { exact: true })).toBeVisible();
  await expect(edited.getByText('Private', { exact: true })).toBeVisible();
  await expect(edited.getByRole('link', { name: 'https://example.com/brief' })).toBeVisible();

  // Delete, after confirming.
  await edited.getByRole('button', { name: /^Delete the note by Administrator/ }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete this note?' });
  await dialog.getByRole('button', { name: 'Delete note' }).click();
  await expect(page.getByText('No notes yet.')).toBeVisible();
  await page.reload();
  await page.getByRole('tab', { name: 'Notes' }).click();
  await expect(page.getByText('No notes yet.')).toBeVisible();
});

test('a project and a contract added on the card are found by the list’s project and contract-type filters', async ({
  page,
}) => {
  const clientName = uniqueName('Projecta Petersen');
  const typeName = uniqueName('Escrow');
  const projectName = uniqueName('Harbour');

  await signIn(page);
  // A contract type of its own, so the filter finds exactly this client among the demo data.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('New contract type').fill(typeName);
  await page.getByLabel('New contract type').press('Enter');
  await expect(page.getByText(typeName, { exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'Clients', exact: true }).click();

  await newClient(page, clientName);
  await page.getByRole('tab', { name: 'Projects and contracts' }).click();

  const newProject = page.getByRole('form', { name: 'New project' });
  await newProject.getByRole('button', { name: 'Add project' }).click();
  await expect(newProject.getByLabel('Project name')).toHaveAccessibleDescription('Project name is required.');
  await newProject.getByLabel('Project name').fill(`${projectName} draft`);
  await newProject.getByRole('button', { name: 'Add project' }).click();
  const projects = page.getByRole('list', { name: 'Projects' });
  await expect(projects.getByText(`${projectName} draft`, { exact: true })).toBeVisible();

  // Rename inline.
  await projects.getByRole('button', { name: `Rename project ${projectName} draft` }).click();
  const rename = page.getByRole('form', { name: `Rename project ${projectName} draft` });
  await rename.getByLabel('Project name').fill(projectName);
  await rename.getByRole('button', { name: 'Save' }).click();
  await expect(projects.getByText(projectName, { exact: true })).toBeVisible();

  const newContract = page.getByRole('form', { name: 'New contract' });
  await newContract.getByLabel('Subject').fill('Harbour escrow');
  await newContract.getByRole('button', { name: 'Add contract' }).click();
  await expect(newContract.getByLabel('Contract type')).toHaveAccessibleDescription('Contract type is required.');
  await newContract.getByLabel('Contract type').selectOption({ label: typeName });
  await newContract.getByRole('button', { name: 'Add contract' }).click();
  const contracts = page.getByRole('list', { name: 'Contracts' });
  const contract = contracts.getByRole('listitem').filter({ hasText: 'Harbour escrow' });
  await expect(contract.getByText(typeName, { exact: true })).toBeVisible();

  // The list's filters find the client by that project, then by that contract type.
  await page.getByRole('link', { name: 'Clients', exact: true }).click();
  const rows = page.getByRole('grid', { name: 'Clients' }).getByRole('row');
  await page.getByLabel('Project', { exact: true }).selectOption({ label: `${projectName} — ${clientName}` });
  await expect(page).toHaveURL(/projectId=\d+/);
  await expect(page.getByText('1 client', { exact: true })).toBeVisible();
  await expect(rows.filter({ hasText: clientName })).toHaveCount(1);

  await page.getByLabel('Project', { exact: true }).selectOption({ label: 'All projects' });
  await expect(page).not.toHaveURL(/projectId=/);
  await page.getByLabel('Contract type', { exact: true }).selectOption({ label: typeName });
  await expect(page).toHaveURL(/contractTypeId=\d+/);
  await expect(page.getByText('1 client', { exact: true })).toBeVisible();
  await expect(rows.filter({ hasText: clientName })).toHaveCount(1);
});

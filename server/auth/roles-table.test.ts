import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../shared/enums';
import { PERMISSIONS } from '../../shared/permissions';
import { ROLES_TABLE_END, ROLES_TABLE_START, rolesTableMarkdown } from './roles-table';

const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

describe('README roles table', () => {
  it('is exactly the permission table of the code (run `npm run docs:roles` after changing shared/permissions.ts)', () => {
    const start = readme.indexOf(ROLES_TABLE_START);
    const end = readme.indexOf(ROLES_TABLE_END);
    expect(start, 'README.md has the roles table markers').toBeGreaterThanOrEqual(0);
    expect(readme.slice(start, end + ROLES_TABLE_END.length)).toBe(rolesTableMarkdown());
  });

  it('has a row per permission and a tick exactly where the table grants it', () => {
    const rows = rolesTableMarkdown()
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    expect(rows).toHaveLength(Object.keys(PERMISSIONS).length);
    const privateNotes = rows
      .find((row) => row.startsWith('| `notes.readPrivate`'))
      ?.split('|')
      .slice(3, -1);
    expect(privateNotes?.map((cell) => cell.trim())).toEqual(
      ROLES.map((role) => (['admin', 'manager', 'agent'].includes(role) ? '✓' : '')),
    );
  });
});

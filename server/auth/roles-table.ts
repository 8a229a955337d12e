import { ROLES } from '../../shared/enums';
import { PERMISSION_DESCRIPTIONS, PERMISSIONS, type Permission } from '../../shared/permissions';

export const ROLES_TABLE_START =
  '<!-- roles-table:start (generated from shared/permissions.ts: npm run docs:roles) -->';
export const ROLES_TABLE_END = '<!-- roles-table:end -->';

/** The permission table as Markdown, for README.md's "Roles" section: one row per permission, one column per role. */
export function rolesTableMarkdown(): string {
  const header = `| permission | what it allows | ${ROLES.join(' | ')} |`;
  const rule = `| --- | --- | ${ROLES.map(() => ':-:').join(' | ')} |`;
  const rows = (Object.keys(PERMISSIONS) as Permission[]).map((permission) => {
    const roles = PERMISSIONS[permission] as readonly string[];
    const cells = ROLES.map((role) => (roles.includes(role) ? '✓' : ''));
    return `| \`${permission}\` | ${PERMISSION_DESCRIPTIONS[permission]} | ${cells.join(' | ')} |`;
  });
  return [ROLES_TABLE_START, header, rule, ...rows, ROLES_TABLE_END].join('\n');
}

/** The README with its roles table replaced by the current one. */
export function withRolesTable(readme: string): string {
  const start = readme.indexOf(ROLES_TABLE_START);
  const end = readme.indexOf(ROLES_TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no roles table markers.');
  return readme.slice(0, start) + rolesTableMarkdown() + readme.slice(end + ROLES_TABLE_END.length);
}

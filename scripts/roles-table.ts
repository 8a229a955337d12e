/** Rewrites README.md's roles table from shared/permissions.ts: npm run docs:roles */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { withRolesTable } from '../server/auth/roles-table';

const path = resolve(import.meta.dirname, '../README.md');
writeFileSync(path, withRolesTable(readFileSync(path, 'utf8')));
console.log('README.md: roles table written from shared/permissions.ts');

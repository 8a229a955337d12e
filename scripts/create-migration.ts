/**
 * Creates the next migration for BOTH dialects from the difference between the entities and the schema the
 * existing migrations build:
 *   npm run migration:create -- [name]
 * SQLite: a temp file migrated to the latest. PostgreSQL: a throwaway database (created next to the one
 * DATABASE_URL names, or on postgres://root@127.0.0.1:5432/postgres) migrated to the latest, then dropped.
 * Prints what it wrote, or that the entities match the migrations already.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { Migrator } from '@mikro-orm/migrations';
import { type DatabaseSettings, type Dialect, migrationsPath } from '../mikro-orm.config';
import { openDatabase } from '../server/db/orm';
import { createThrowawayPostgres } from '../server/test/databases';

const name = process.argv[2]?.replace(/[^A-Za-z0-9_]/g, '_') || undefined;
// One timestamp for both dialects, so the two files of one change share a name.
const timestamp = new Date().toISOString().replace(/[-T:]|\.\d{3}Z$/g, '');

async function createFor(dialect: Dialect, settings: DatabaseSettings): Promise<void> {
  const orm: MikroORM = await openDatabase(settings);
  try {
    orm.config.get('migrations').fileName = (_timestamp: string, migrationName?: string) =>
      `Migration${timestamp}${migrationName ? `_${migrationName}` : ''}`;
    const migrator = orm.getMigrator() as Migrator;
    const result = await migrator.createMigration(migrationsPath(dialect), false, false, name);
    if (result.fileName) console.log(`${dialect}: wrote ${join(migrationsPath(dialect), result.fileName)}`);
    else console.log(`${dialect}: no schema changes; nothing written`);
  } finally {
    await orm.close(true);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'kartoteka-migration-'));
try {
  await createFor('sqlite', { sqlitePath: join(dir, 'migrate.sqlite') });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const postgres = await createThrowawayPostgres(`kartoteka_migration_${randomBytes(4).toString('hex')}`);
try {
  await createFor('postgresql', postgres.settings);
} finally {
  await postgres.drop();
}

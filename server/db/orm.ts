import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Constructor, MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { Migration } from '@mikro-orm/migrations';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { type DatabaseSettings, type Dialect, dialectOf, migrationsPath, ormOptions } from '../../mikro-orm.config';

// Any constant works; it only has to be the same for every instance that starts on this database.
export const MIGRATION_LOCK = 4_242_000;

interface RawPgConnection {
  query(sql: string): Promise<unknown>;
}

/**
 * Runs `work` while holding a session-level PostgreSQL advisory lock. The lock lives on one pooled connection
 * taken out of the pool for the whole run (a session lock belongs to its connection; `work` uses others, so the
 * pool needs at least two), so instances that start at the same moment queue here and each sees what the
 * previous one did: the migrations it ran, the first admin it created.
 */
async function withMigrationLock<T>(orm: MikroORM, work: () => Promise<T>): Promise<T> {
  const knex = (orm.em as EntityManager).getConnection().getKnex();
  const connection = (await knex.client.acquireConnection()) as RawPgConnection;
  try {
    await connection.query(`select pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      return await work();
    } finally {
      await connection.query(`select pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

/**
 * Runs start-up work that must happen once per database, not once per instance (creating the first admin,
 * seeding demo data), one instance at a time on PostgreSQL, so the next one sees it done. SQLite has one.
 */
export function onePerDatabase<T>(orm: MikroORM, work: () => Promise<T>): Promise<T> {
  return orm.config.getPlatform() instanceof PostgreSqlPlatform ? withMigrationLock(orm, work) : work();
}

export interface MigrationEntry {
  name: string;
  class: Constructor<Migration>;
}

/**
 * The dialect's migration files, imported by our own code rather than by MikroORM's glob discovery: MikroORM
 * loads files with Node's own import(), which cannot read .ts under vitest; an import() written here goes
 * through whatever loader runs this file (tsx, vitest). Names are the file names without extension, the same
 * names the glob discovery would store.
 */
export async function loadMigrations(dialect: Dialect): Promise<MigrationEntry[]> {
  const dir = migrationsPath(dialect);
  const files = readdirSync(dir)
    .filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'))
    .sort();
  const entries: MigrationEntry[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
    const migration = Object.values(module).find((value) => typeof value === 'function');
    if (!migration) throw new Error(`Migration file ${file} exports no migration class`);
    entries.push({ name: file.replace(/\.(ts|js)$/, ''), class: migration as Constructor<Migration> });
  }
  return entries;
}

/**
 * Opens the database named by the settings and brings its schema up to date with the checked-in migrations
 * (server/db/migrations/<dialect>). PostgreSQL databases that do not exist yet are created. On PostgreSQL the
 * migration run is serialized by an advisory lock, so several instances starting at once migrate exactly once.
 */
export async function openDatabase(settings: DatabaseSettings): Promise<MikroORM> {
  const options = ormOptions(settings);
  const migrationsList = await loadMigrations(dialectOf(settings));
  const orm = await MikroORM.init({ ...options, migrations: { ...options.migrations, migrationsList } });
  try {
    const migrate = async () => {
      await orm.getMigrator().up();
    };
    if (dialectOf(settings) === 'postgresql') await withMigrationLock(orm, migrate);
    else await migrate();
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  return orm;
}

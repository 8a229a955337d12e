import { resolve } from 'node:path';
import type { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import { SESSION_STATE_TABLES } from './server/auth/session-state';
import { SEARCH_INDEX_TABLES } from './server/clients/search';
import { ENTITIES } from './server/db/entities';
import { log } from './server/ops/log';
// Side effect: repairs SQLite enum introspection in MikroORM 6.6.16 (see the file).
import './server/db/sqlite-enum-fix';

export type Dialect = 'sqlite' | 'postgresql';

export interface DatabaseSettings {
  /** A postgres:// URL, or undefined for the embedded SQLite file. */
  databaseUrl?: string;
  /** The SQLite file (ignored on PostgreSQL); ':memory:' works for throwaway runs. */
  sqlitePath: string;
  /** PostgreSQL: the most connections this instance opens (DATABASE_POOL_MAX); ignored on SQLite (one). */
  poolMax?: number;
}

export const DEFAULT_POOL_MAX = 10;

export function dialectOf(settings: DatabaseSettings): Dialect {
  return settings.databaseUrl ? 'postgresql' : 'sqlite';
}

export function migrationsPath(dialect: Dialect): string {
  return resolve(import.meta.dirname, 'server/db/migrations', dialect);
}

interface SqliteConnection {
  exec(sql: string, callback: (error: Error | null) => void): void;
}

/** One ORM configuration for the app, the tests and the migration CLI script; only the database differs. */
export function ormOptions(settings: DatabaseSettings): Options {
  const dialect = dialectOf(settings);
  const migrations = {
    path: migrationsPath(dialect),
    pathTs: migrationsPath(dialect),
    glob: '!(*.d).{js,ts}',
    emit: 'ts' as const,
    transactional: true,
    allOrNothing: true,
    snapshot: false,
  };
  const common = {
    entities: ENTITIES,
    extensions: [Migrator],
    migrations,
    discovery: { warnWhenNoEntities: true },
    // The search index and session_state are hand-written in the migrations (FTS5, pg_trgm, triggers): the schema
    // diff leaves them be.
    schemaGenerator: { skipTables: [...SEARCH_INDEX_TABLES, ...SESSION_STATE_TABLES] },
    // Entities go out of the API as DTOs built by the services, never serialized by the ORM.
    forceUtcTimezone: true,
    debug: process.env.ORM_DEBUG === '1',
    // The ORM's own lines (migrations applied, ORM_DEBUG's queries) join the JSON log instead of colored console text.
    colors: false,
    logger: (message: string) => log.info({ component: 'orm' }, message),
  } satisfies Options;

  if (dialect === 'postgresql') {
    return {
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: settings.databaseUrl,
      pool: { min: 0, max: settings.poolMax ?? DEFAULT_POOL_MAX },
    };
  }
  return {
    ...common,
    driver: SqliteDriver,
    dbName: settings.sqlitePath,
    pool: {
      min: 1,
      max: 1,
      // WAL lets readers run beside the writer; busy_timeout waits for a lock instead of failing at once; a 64 MB
      // page cache (SQLite's default is 2 MB) keeps a list of 100,000 clients and its indexes in memory.
      afterCreate: (connection: SqliteConnection, done: (error: Error | null) => void) => {
        connection.exec(
          'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536;',
          done,
        );
      },
    },
  };
}

/** For the MikroORM CLI: the database named by the environment. */
export default ormOptions({
  databaseUrl: process.env.DATABASE_URL,
  sqlitePath: resolve(process.env.DATA_DIR ?? 'data', 'kartoteka.sqlite'),
  poolMax: process.env.DATABASE_POOL_MAX ? Number(process.env.DATABASE_POOL_MAX) : undefined,
});

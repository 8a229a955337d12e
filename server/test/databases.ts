import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import type { DatabaseSettings } from '../../mikro-orm.config';

/** The PostgreSQL server the tests may use (CI sets DATABASE_URL), or undefined for SQLite runs. */
export function postgresUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

async function adminQuery(baseUrl: string, sql: string): Promise<void> {
  const client = new PgClient({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty database for one test app: a SQLite file in `dataDir`, or a new PostgreSQL database next
 * to the one DATABASE_URL names (dropped again by `drop`), so runs never see each other's rows.
 */
export async function createTestDatabase(
  dataDir: string,
): Promise<{ settings: DatabaseSettings; drop(): Promise<void> }> {
  const base = postgresUrl();
  const sqlitePath = join(dataDir, 'kartoteka.sqlite');
  if (!base) return { settings: { sqlitePath }, drop: async () => {} };
  const name = `kartoteka_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(base, `create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    settings: { databaseUrl: url.toString(), sqlitePath },
    drop: () => adminQuery(base, `drop database if exists ${name} with (force)`),
  };
}

/** The PostgreSQL server to create throwaway databases on: DATABASE_URL, else the local one every machine runs. */
export function postgresAdminUrl(): string {
  return postgresUrl() ?? 'postgres://root@127.0.0.1:5432/postgres';
}

/**
 * A new, empty PostgreSQL database (always PostgreSQL, whatever DATABASE_URL says), for tests and scripts that
 * must exercise that dialect; `drop` removes it again.
 */
export async function createThrowawayPostgres(
  name = `kartoteka_test_${randomBytes(6).toString('hex')}`,
): Promise<{ settings: DatabaseSettings; url: string; drop(): Promise<void> }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a safe database name: ${name}`);
  const base = postgresAdminUrl();
  await adminQuery(base, `create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    settings: { databaseUrl: url.toString(), sqlitePath: ':memory:' },
    drop: () => adminQuery(base, `drop database if exists ${name} with (force)`),
  };
}

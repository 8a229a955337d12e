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

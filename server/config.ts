import { resolve } from 'node:path';
import type { DatabaseSettings } from '../mikro-orm.config';

export interface AppConfig {
  port: number;
  host: string;
  database: DatabaseSettings;
  dataDir: string;
  adminEmail?: string;
  adminPassword?: string;
  /** undefined: seed when the database is empty (the default); false: never. */
  seedDemo: boolean;
  /** Origins allowed to open the WebSocket and call mutations besides the server's own. */
  allowedOrigins: string[];
}

/** Reads the environment once at start-up; a bad value stops the app with one clear line. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, not "${env.PORT}".`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite file).');
  }
  const dataDir = resolve(env.DATA_DIR ?? 'data');
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir,
    database: { databaseUrl, sqlitePath: resolve(dataDir, 'kartoteka.sqlite') },
    adminEmail: env.ADMIN_EMAIL || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    seedDemo: env.SEED_DEMO !== '0',
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
}

import { resolve } from 'node:path';
import type { DatabaseSettings } from '../mikro-orm.config';
import type { SessionSettings } from './auth/accounts';
import type { ThrottleSettings } from './auth/throttle';
import type { MailSettings } from './mail/sender';

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
  // Accounts and mail (server/auth, server/mail). Optional: startApp fills in the defaults, tests shorten them.
  /** Express's "trust proxy": which proxies may tell the caller's address and that the request came over https. */
  trustProxy?: boolean | number | string;
  /** Where links in e-mails point, e.g. https://kartoteka.example.com; unset: the address the server listens on. */
  publicUrl?: string;
  sessions?: SessionSettings;
  passwordLinkTtlMs?: number;
  throttle?: ThrottleSettings;
  mail?: Partial<MailSettings>;
}

/** A whole number from the environment, or the default; anything else stops the app with the variable's name. */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be a whole number of at least ${min}, not "${raw}".`);
  return value;
}

/** TRUST_PROXY as Express reads it: true/false, a number of hops, or addresses and subnets ("loopback, 10.0.0.0/8"). */
function trustProxy(raw: string | undefined): boolean | number | string {
  if (!raw || raw === 'false' || raw === '0') return false;
  if (raw === 'true') return true;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
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
    trustProxy: trustProxy(env.TRUST_PROXY),
    publicUrl: publicUrl(env.PUBLIC_URL),
    sessions: {
      idleMs: wholeNumber(env, 'SESSION_IDLE_MINUTES', 8 * 60) * 60_000,
      absoluteMs: wholeNumber(env, 'SESSION_MAX_DAYS', 30) * 24 * 3600_000,
    },
    passwordLinkTtlMs: wholeNumber(env, 'PASSWORD_LINK_HOURS', 72) * 3600_000,
    mail: { smtpUrl: smtpUrl(env.SMTP_URL), ...(env.MAIL_FROM ? { from: env.MAIL_FROM } : {}) },
  };
}

function publicUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^https?:\/\/[^/]+/.test(raw))
    throw new Error(`PUBLIC_URL must be an http:// or https:// address, not "${raw}".`);
  return raw.replace(/\/+$/, '');
}

function smtpUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^smtps?:\/\//.test(raw))
    throw new Error('SMTP_URL must start with smtp:// or smtps:// (leave it unset to keep mail in the outbox).');
  return raw;
}

import { resolve } from 'node:path';
import { type DatabaseSettings, DEFAULT_POOL_MAX } from '../mikro-orm.config';
import type { SessionSettings } from './auth/accounts';
import type { ThrottleSettings } from './auth/throttle';
import { DEFAULT_REDIS_PREFIX } from './live/redis';
import type { MailSettings } from './mail/sender';
import { isLogLevel, LOG_LEVELS, type LogLevel } from './ops/log';

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
  /** Where the live-update bus and presence run when several instances share them; unset: in this process. */
  redisUrl?: string;
  /** Put before every Redis key and channel, so several apps (or test runs) can share one Redis. */
  redisPrefix?: string;
  // Operations (server/ops).
  /** How much the JSON log says; main.ts applies it to the process's logger. */
  logLevel?: LogLevel;
  /** The bearer token /metrics asks for; unset: /metrics does not exist. */
  metricsToken?: string;
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
  const rawPort = env.PORT || '3000';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) {
    throw new Error(
      `PORT must be a whole number from 0 to 65535, not "${rawPort}". Set PORT to a free port, e.g. 3000.`,
    );
  }
  const databaseUrl = databaseUrlOf(env.DATABASE_URL);
  const dataDir = resolve(env.DATA_DIR ?? 'data');
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir,
    database: {
      databaseUrl,
      sqlitePath: resolve(dataDir, 'kartoteka.sqlite'),
      // Start-up holds one connection for its lock while it migrates on another (server/db/orm.ts).
      poolMax: wholeNumber(env, 'DATABASE_POOL_MAX', DEFAULT_POOL_MAX, 2),
    },
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
    redisUrl: redisUrlOf(env.REDIS_URL),
    redisPrefix: redisPrefixOf(env.REDIS_PREFIX),
    logLevel: logLevelOf(env.LOG_LEVEL),
    metricsToken: metricsTokenOf(env.METRICS_TOKEN),
  };
}

/** The host and port of a URL, when it parses and names a host; null otherwise. */
function hostOf(raw: string): URL | null {
  try {
    const url = new URL(raw);
    return url.hostname ? url : null;
  } catch {
    return null;
  }
}

function databaseUrlOf(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new Error('DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite file).');
  }
  if (!hostOf(raw)) {
    throw new Error(
      'DATABASE_URL is not a valid address. Write it as postgres://user:password@host:5432/database (special characters in the password %-encoded).',
    );
  }
  return raw;
}

function redisUrlOf(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^rediss?:\/\//.test(raw) || !hostOf(raw)) {
    throw new Error(
      'REDIS_URL must be an address like redis://host:6379 (or rediss:// for TLS); leave it unset to run a single instance.',
    );
  }
  return raw;
}

function redisPrefixOf(raw: string | undefined): string {
  if (raw === undefined || raw === '') return DEFAULT_REDIS_PREFIX;
  if (!/^[\x21-\x7e]+$/.test(raw)) {
    throw new Error(`REDIS_PREFIX must be printable characters without spaces, e.g. "kartoteka:", not "${raw}".`);
  }
  return raw;
}

function logLevelOf(raw: string | undefined): LogLevel {
  if (!raw) return 'info';
  if (!isLogLevel(raw)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${raw}".`);
  return raw;
}

/** Long enough not to be guessed, and nothing a header would mangle. */
function metricsTokenOf(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (raw.length < 16 || !/^[\x21-\x7e]+$/.test(raw)) {
    throw new Error(
      'METRICS_TOKEN must be at least 16 characters without spaces (e.g. from `openssl rand -hex 24`); leave it unset to turn /metrics off.',
    );
  }
  return raw;
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

import { connect } from 'node:net';
import type { AppConfig } from '../config';

/** A start-up failure already phrased for people: the setting at fault and what to do. */
export class StartupProblem extends Error {}

const CONNECT_TIMEOUT_MS = 5_000;

/** Opens a TCP connection and closes it: null when something answered, else why not (ECONNREFUSED, ENOTFOUND…). */
function tcpProblem(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (problem: string | null) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => done('no answer within 5 s'));
    socket.once('connect', () => done(null));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

/** The host and port a URL points to; IPv6 addresses without their brackets. */
function endpointOf(raw: string, defaultPort: number): { host: string; port: number } {
  const url = new URL(raw);
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || defaultPort) };
}

function databaseUnreachable(host: string, port: number, why: string): string {
  return `DATABASE_URL: cannot reach PostgreSQL at ${host}:${port} (${why}). Start PostgreSQL there, or correct the host and port in DATABASE_URL (unset it to use the embedded SQLite file).`;
}

function redisUnreachable(host: string, port: number, why: string): string {
  return `REDIS_URL: cannot reach Redis at ${host}:${port} (${why}). Start Redis there, correct REDIS_URL, or unset it to run a single instance.`;
}

/**
 * Checks that the servers the settings name answer at all, before anything else starts: a database or Redis
 * that is not there is a setting to fix, said in one line, rather than a driver's stack trace or endless retries.
 */
export async function checkServersReachable(config: AppConfig): Promise<void> {
  const { databaseUrl } = config.database;
  // A socket directory in the query (?host=/var/run/postgresql) is no TCP address to try.
  if (databaseUrl && !new URL(databaseUrl).searchParams.has('host')) {
    const { host, port } = endpointOf(databaseUrl, 5432);
    const problem = await tcpProblem(host, port);
    if (problem) throw new StartupProblem(databaseUnreachable(host, port, problem));
  }
  if (config.redisUrl) {
    const { host, port } = endpointOf(config.redisUrl, 6379);
    const problem = await tcpProblem(host, port);
    if (problem) throw new StartupProblem(redisUnreachable(host, port, problem));
  }
}

/** What a failed start means for the data directory, in words, when the cause is the disk or its permissions. */
function dataDirProblem(text: string, code: string | undefined, dataDir: string): string | null {
  if (/EROFS|EACCES|EPERM|SQLITE_READONLY|SQLITE_CANTOPEN/.test(text)) {
    return `the data directory ${dataDir} is not writable (${code ?? 'read-only'}). Set DATA_DIR to a folder Kartoteka may write to.`;
  }
  if (/ENOSPC|SQLITE_FULL|EDQUOT/.test(text)) {
    return `the disk holding the data directory ${dataDir} is full. Free some space, or set DATA_DIR to a folder on another disk.`;
  }
  if (code === 'EEXIST' || code === 'ENOTDIR') {
    return `the data directory ${dataDir} is not a folder. Set DATA_DIR to a folder Kartoteka may write to.`;
  }
  if (code === 'ENOENT' && /mkdir/.test(text)) {
    return `the data directory ${dataDir} could not be created. Set DATA_DIR to a folder Kartoteka may write to.`;
  }
  return null;
}

/** Node's errors for an address or port that cannot be listened on, and the driver's for a refused sign-in. */
interface StartError {
  code?: string;
  syscall?: string;
  message?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

/**
 * The one line to print for a failed start, naming the setting at fault and the fix. `sqliteDataDir` is set once
 * the SQLite data directory is in use (on PostgreSQL the disk is the database server's business).
 */
export function explainStartFailure(error: unknown, config: AppConfig | null, sqliteDataDir: string | null): string {
  if (error instanceof StartupProblem || !config) return error instanceof Error ? error.message : String(error);
  const { code, syscall, message = String(error), address, port, hostname } = error as StartError;
  if (syscall === 'listen') {
    if (code === 'EADDRINUSE') {
      return `PORT ${config.port} is already in use on ${config.host}. Stop the program using it, or set PORT to a free port.`;
    }
    if (code === 'EACCES') {
      return `PORT ${config.port} needs extra privileges to listen on (ports below 1024 do). Set PORT to 1024 or above, e.g. 3000.`;
    }
    if (code === 'EADDRNOTAVAIL') {
      return `HOST ${config.host} is not an address of this machine. Set HOST to 127.0.0.1, 0.0.0.0 or one of its addresses.`;
    }
  }
  if (code === 'ENOTFOUND' && hostname === config.host) {
    return `HOST ${config.host} does not resolve. Set HOST to 127.0.0.1, 0.0.0.0 or one of this machine's addresses.`;
  }
  const { databaseUrl } = config.database;
  if (config.redisUrl && address !== undefined && port !== undefined) {
    const redis = endpointOf(config.redisUrl, 6379);
    if (redis.port === port) return redisUnreachable(redis.host, port, code ?? message);
  }
  if (databaseUrl) {
    // PostgreSQL's SQLSTATE class 28: a wrong user or password; 3D000: no such database; 42501: not allowed.
    if (code && /^(28|3D000|42501)/.test(code)) {
      return `DATABASE_URL: PostgreSQL refused the connection (${message}). Correct the user, password or database name in DATABASE_URL.`;
    }
    if (code && /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ECONNRESET)$/.test(code)) {
      const { host, port: dbPort } = endpointOf(databaseUrl, 5432);
      return databaseUnreachable(host, dbPort, code);
    }
  }
  if (sqliteDataDir) {
    const problem = dataDirProblem(`${code ?? ''} ${message}`, code, sqliteDataDir);
    if (problem) return problem;
  }
  return message;
}

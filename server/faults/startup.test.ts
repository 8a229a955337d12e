import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type AppProcessOptions, runAppToExit } from '../load/app-process';

/**
 * A data directory the app cannot use at start (issue 8): read-only, on a full disk, or not a folder. The app
 * must say so in one line naming the folder and what to do, and exit with code 1: no stack trace. A read-only
 * file system and a full disk are real ones, small tmpfs mounts (the tests run as root here, which a chmod would
 * not stop); without the right to mount, a non-root run uses a folder without write permission instead.
 */
const cleanup: (() => void)[] = [];

afterAll(() => {
  for (const step of cleanup.reverse()) step();
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kartoteka-start-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh tmpfs at a new folder, or null when this process may not mount. */
function mountTmpfs(options: string): string | null {
  const dir = folder();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  cleanup.push(() => execFileSync('umount', [dir]));
  return dir;
}

const canMount = mountTmpfs('size=16k') !== null;
const isRoot = process.getuid?.() === 0;

/**
 * Starts the app, which must fail: exit code 1, no stack trace, and besides JSON log lines (migrations may run
 * before a port turns out to be taken) exactly one line of text, which is returned.
 */
async function start(dataDir: string, options: Partial<AppProcessOptions> = {}) {
  const { code, output } = await runAppToExit({
    dataDir,
    adminEmail: 'admin@example.com',
    adminPassword: 'admin-password-123',
    ...options,
  });
  expect(code).toBe(1);
  expect(output).not.toMatch(/^\s+at /m);
  const text = output
    .trim()
    .split('\n')
    .filter((line) => !line.startsWith('{"level":'));
  expect(text).toHaveLength(1);
  expect(text[0]).toMatch(/^Kartoteka could not start: /);
  return text[0] ?? '';
}

/** Starts the app with one setting in the environment. */
const startWith = (env: Record<string, string>, databaseUrl?: string) => start(folder(), { env, databaseUrl });

it.skipIf(isRoot && !canMount)('refuses a read-only data directory in one line that names it', async () => {
  let dataDir: string;
  if (isRoot) {
    dataDir = mountTmpfs('size=64k,ro') ?? '';
  } else {
    dataDir = folder();
    execFileSync('chmod', ['555', dataDir]);
  }
  expect(await start(dataDir)).toBe(
    `Kartoteka could not start: the data directory ${dataDir} is not writable (${isRoot ? 'EROFS' : 'EACCES'}). Set DATA_DIR to a folder Kartoteka may write to.`,
  );
});

it.skipIf(!canMount)('refuses a data directory on a full disk in one line that names it', async () => {
  const dataDir = mountTmpfs('size=64k') ?? '';
  // Fill the disk, leaving no room for the database file to grow.
  execFileSync('sh', ['-c', `dd if=/dev/zero of=${join(dataDir, 'filler')} bs=4k 2>/dev/null; true`]);
  expect(await start(dataDir)).toBe(
    `Kartoteka could not start: the disk holding the data directory ${dataDir} is full. Free some space, or set DATA_DIR to a folder on another disk.`,
  );
});

it('refuses a data directory that is a file in one line that names it', async () => {
  const dataDir = join(folder(), 'not-a-folder');
  writeFileSync(dataDir, 'a file');
  expect(await start(dataDir)).toBe(
    `Kartoteka could not start: the data directory ${dataDir} is not a folder. Set DATA_DIR to a folder Kartoteka may write to.`,
  );
});

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = await listening();
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

function listening(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const PG = new URL(process.env.DATABASE_URL || 'postgres://root@127.0.0.1:5432/test');
const STOP = 'Kartoteka could not start:';

// Each start is a fresh Node process with tsx; two of them in one test need more than the default under a busy CI.
describe('a wrong setting stops the start in one line that names it and the fix', { timeout: 120_000 }, () => {
  it('PORT that is no port number', async () => {
    expect(await startWith({ PORT: 'eighty' })).toBe(
      `${STOP} PORT must be a whole number from 0 to 65535, not "eighty". Set PORT to a free port, e.g. 3000.`,
    );
    expect(await startWith({ PORT: '65536' })).toBe(
      `${STOP} PORT must be a whole number from 0 to 65535, not "65536". Set PORT to a free port, e.g. 3000.`,
    );
  });

  it('PORT already in use', async () => {
    const other = await listening();
    const { port } = other.address() as { port: number };
    try {
      expect(await startWith({ PORT: String(port) })).toBe(
        `${STOP} PORT ${port} is already in use on 127.0.0.1. Stop the program using it, or set PORT to a free port.`,
      );
    } finally {
      await new Promise((done) => other.close(done));
    }
  });

  it('DATABASE_URL of another kind of database, or no address at all', async () => {
    expect(await startWith({}, 'mysql://root@127.0.0.1/test')).toBe(
      `${STOP} DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite file).`,
    );
    expect(await startWith({}, 'postgres://')).toBe(
      `${STOP} DATABASE_URL is not a valid address. Write it as postgres://user:password@host:5432/database (special characters in the password %-encoded).`,
    );
  });

  it('DATABASE_URL where no PostgreSQL answers', async () => {
    const port = await closedPort();
    expect(await startWith({}, `postgres://root@127.0.0.1:${port}/test`)).toBe(
      `${STOP} DATABASE_URL: cannot reach PostgreSQL at 127.0.0.1:${port} (ECONNREFUSED). Start PostgreSQL there, or correct the host and port in DATABASE_URL (unset it to use the embedded SQLite file).`,
    );
  });

  it('DATABASE_URL with a user PostgreSQL does not know', async () => {
    const url = new URL(PG);
    url.username = 'no_such_kartoteka_user';
    expect(await startWith({}, url.href)).toBe(
      `${STOP} DATABASE_URL: PostgreSQL refused the connection (role "no_such_kartoteka_user" does not exist). Correct the user, password or database name in DATABASE_URL.`,
    );
  });

  it('REDIS_URL that is no Redis address', async () => {
    expect(await startWith({ REDIS_URL: 'http://127.0.0.1:6379' })).toBe(
      `${STOP} REDIS_URL must be an address like redis://host:6379 (or rediss:// for TLS); leave it unset to run a single instance.`,
    );
  });

  it('REDIS_URL where no Redis answers', async () => {
    const port = await closedPort();
    expect(await startWith({ REDIS_URL: `redis://127.0.0.1:${port}` })).toBe(
      `${STOP} REDIS_URL: cannot reach Redis at 127.0.0.1:${port} (ECONNREFUSED). Start Redis there, correct REDIS_URL, or unset it to run a single instance.`,
    );
  });

  it('DATABASE_POOL_MAX too small to start with', async () => {
    expect(await startWith({ DATABASE_POOL_MAX: '1' })).toBe(
      `${STOP} DATABASE_POOL_MAX must be a whole number of at least 2, not "1".`,
    );
  });

  it('REDIS_PREFIX with a space', async () => {
    expect(await startWith({ REDIS_PREFIX: 'my app:' })).toBe(
      `${STOP} REDIS_PREFIX must be printable characters without spaces, e.g. "kartoteka:", not "my app:".`,
    );
  });

  it('LOG_LEVEL and METRICS_TOKEN that cannot be used', async () => {
    expect(await startWith({ LOG_LEVEL: 'verbose' })).toBe(
      `${STOP} LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "verbose".`,
    );
    expect(await startWith({ METRICS_TOKEN: 'secret' })).toBe(
      `${STOP} METRICS_TOKEN must be at least 16 characters without spaces (e.g. from \`openssl rand -hex 24\`); leave it unset to turn /metrics off.`,
    );
  });
});

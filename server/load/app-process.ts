import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The app as its own process (`server/main.ts`, exactly what `npm start` runs), for what an in-process test
 * cannot show: the server's own memory, a SIGKILL in the middle of a write, a start-up that must fail cleanly.
 * Used by the benchmarks and the fault suite.
 */
export interface AppProcess {
  url: string;
  pid: number;
  /** Everything the process printed so far (stdout and stderr, interleaved). */
  output(): string;
  /** The process's resident memory now, from /proc. */
  rssBytes(): number;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: no shutdown code runs, as when the machine loses power or the OOM killer strikes. */
  kill(): Promise<void>;
  /** SIGTERM, the clean shutdown. */
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../..');

export interface AppProcessOptions {
  /** Where the SQLite file lives (DATA_DIR). */
  dataDir: string;
  /** A postgres:// URL to run on PostgreSQL instead. */
  databaseUrl?: string;
  adminEmail: string;
  adminPassword: string;
  /** Extra environment, e.g. NODE_OPTIONS. */
  env?: Record<string, string>;
  /** Arguments for node before the script, e.g. --max-old-space-size. */
  nodeArgs?: string[];
}

function spawnApp(options: AppProcessOptions): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    ADMIN_EMAIL: options.adminEmail,
    ADMIN_PASSWORD: options.adminPassword,
    SEED_DEMO: '0',
    ...options.env,
  };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else delete env.DATABASE_URL;
  // Vitest's own variables would make the child think it runs under a test worker.
  for (const name of Object.keys(env)) if (name.startsWith('VITEST')) delete env[name];
  return spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the app until it exits by itself (a start-up that must fail): its exit code and output. */
export async function runAppToExit(
  options: AppProcessOptions,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  const child = spawnApp(options);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
  clearTimeout(timer);
  return { code, output };
}

/** Starts the app on a free port and resolves once it prints its address. */
export async function startAppProcess(options: AppProcessOptions, timeoutMs = 60_000): Promise<AppProcess> {
  const child = spawnApp(options);
  const pid = child.pid;
  if (pid === undefined) throw new Error('Could not start the app process.');
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The app did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`The app exited (${code ?? signal}) before it started:\n${output}`));
    });
  });
  const signalAndWait = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    pid,
    output: () => output,
    rssBytes: () => {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return Number(match?.[1] ?? 0) * 1024;
    },
    exited,
    kill: () => signalAndWait('SIGKILL'),
    stop: () => signalAndWait('SIGTERM'),
  };
}

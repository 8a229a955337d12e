import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

/**
 * nginx in front of several app instances, from the checked-in deploy/nginx.conf with other ports: for the
 * cluster tests, the scale benchmark and `npm run cluster`. It runs in the foreground as this user, with its
 * pid file, temp files and logs in a folder of its own.
 */
export interface Nginx {
  /** Where nginx listens, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Its folder (-p): nginx.conf, logs/, temp/. */
  dir: string;
  /** What nginx printed (its error log goes to stderr). */
  output(): string;
  stop(): Promise<void>;
}

export const NGINX_TEMPLATE = resolve(import.meta.dirname, '../../deploy/nginx.conf');

/** deploy/nginx.conf listening on `port` in front of `upstreams` ("127.0.0.1:3001"), otherwise unchanged. */
export function nginxConfig(options: { port: number; upstreams: string[] }): string {
  const template = readFileSync(NGINX_TEMPLATE, 'utf8');
  const servers = /(\n\s*server \d+\.\d+\.\d+\.\d+:\d+;)+/;
  const listen = /listen 127\.0\.0\.1:\d+;/;
  // A template changed beyond what this rewrites would silently test another config: refuse instead.
  if (!servers.test(template) || !listen.test(template)) {
    throw new Error(`${NGINX_TEMPLATE} no longer has the "server host:port;" lines or the listen line to rewrite.`);
  }
  return template
    .replace(servers, options.upstreams.map((upstream) => `\n    server ${upstream};`).join(''))
    .replace(listen, `listen 127.0.0.1:${options.port};`);
}

/** The nginx binary: on PATH, or in /usr/sbin where Debian puts it (outside a non-root user's PATH). */
export function findNginx(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = join(dir, 'nginx');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error("nginx is not installed: `apt-get install -y nginx` (Debian's package; CI installs it).");
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** Writes the config into a fresh temp folder, starts nginx on it and resolves once it accepts connections. */
export async function startNginx(options: { port: number; upstreams: string[] }, timeoutMs = 10_000): Promise<Nginx> {
  const binary = findNginx();
  const dir = mkdtempSync(join(tmpdir(), 'kartoteka-nginx-'));
  // Started as root, nginx's workers run as nobody: they must be able to reach their temp folders in here.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'logs'));
  mkdirSync(join(dir, 'temp'));
  const config = join(dir, 'nginx.conf');
  writeFileSync(config, nginxConfig(options));
  const child: ChildProcess = spawn(binary, ['-e', 'stderr', '-p', dir, '-c', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let running = true;
  void exited.then(() => {
    running = false;
  });
  const deadline = Date.now() + timeoutMs;
  while (!(await portOpen(options.port))) {
    if (!running || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`nginx did not start on port ${options.port}:\n${output}`);
    }
    await new Promise((wait) => setTimeout(wait, 20));
  }
  return {
    url: `http://127.0.0.1:${options.port}`,
    dir,
    output: () => output,
    async stop() {
      if (running) {
        child.kill('SIGTERM');
        const stuck = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(stuck);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

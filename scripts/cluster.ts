/**
 * `npm run cluster`: three app instances on one machine behind nginx (deploy/nginx.conf), as README's "Scaling
 * out" describes. The instances listen on 127.0.0.1:3001-3003 (CLUSTER_FIRST_PORT, CLUSTER_INSTANCES), nginx on
 * 127.0.0.1:8080 (CLUSTER_PORT). They share DATABASE_URL (PostgreSQL, required) and REDIS_URL (default: the
 * local Redis); every other setting (ADMIN_EMAIL, SEED_DEMO, ...) is passed on as is. Each line is prefixed
 * with its instance. Ctrl-C or SIGTERM stops everything; if an instance exits on its own, the rest stop too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { type Nginx, startNginx } from '../server/scale/nginx';

const root = resolve(import.meta.dirname, '..');

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    console.error(`${name} must be a whole number from 1 to 65535, not "${raw}".`);
    process.exit(1);
  }
  return value;
}

if (!process.env.DATABASE_URL) {
  console.error(
    'npm run cluster needs DATABASE_URL=postgres://... : instances share one PostgreSQL database (see README, "Scaling out").',
  );
  process.exit(1);
}
const count = setting('CLUSTER_INSTANCES', 3);
const firstPort = setting('CLUSTER_FIRST_PORT', 3001);
const proxyPort = setting('CLUSTER_PORT', 8080);
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const children: ChildProcess[] = [];
let nginx: Nginx | null = null;
let stopping = false;

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await nginx?.stop();
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const stuck = setTimeout(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, 5_000);
  await Promise.all(
    children.map((child) =>
      child.exitCode === null && child.signalCode === null
        ? new Promise((done) => child.once('exit', done))
        : undefined,
    ),
  );
  clearTimeout(stuck);
  process.exit(code);
}

/** Starts one instance; resolves once it says where it runs. */
function startInstance(port: number): Promise<void> {
  const label = `[${port}]`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', REDIS_URL: redisUrl, TRUST_PROXY: 'loopback' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((started, failed) => {
    const onLine = (out: NodeJS.WriteStream) => (line: string) => {
      out.write(`${label} ${line}\n`);
      if (line.includes('Kartoteka is running at')) started();
    };
    if (child.stdout) createInterface({ input: child.stdout }).on('line', onLine(process.stdout));
    if (child.stderr) createInterface({ input: child.stderr }).on('line', onLine(process.stderr));
    child.once('exit', (code, signal) => {
      failed(new Error(`the instance on port ${port} exited (${code ?? signal})`));
      if (!stopping) {
        console.error(`${label} exited (${code ?? signal}); stopping the cluster.`);
        void stopAll(1);
      }
    });
  });
}

process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));

try {
  const ports = Array.from({ length: count }, (_, i) => firstPort + i);
  // Started at the same moment: the first to take the migration lock migrates, the others wait for it.
  await Promise.all(ports.map(startInstance));
  nginx = await startNginx({ port: proxyPort, upstreams: ports.map((port) => `127.0.0.1:${port}`) });
  console.log(
    `Kartoteka cluster: ${count} instances behind nginx at ${nginx.url} (config and logs in ${nginx.dir}). Ctrl-C stops it.`,
  );
} catch (error) {
  console.error(`The cluster could not start: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}

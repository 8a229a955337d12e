/**
 * Builds the browser app (vite build -> dist/client) only when it is missing or older than its sources:
 * any file under client/ or shared/, or the Vite config. `npm start` runs this first (prestart), so a fresh
 * clone gets a built client and a second start costs nothing.
 *
 * FORCE_CLIENT_BUILD=1 builds regardless.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const builtIndex = join(root, 'dist/client/index.html');
const sources = ['client', 'shared'].map((dir) => join(root, dir));
const configFiles = ['vite.config.ts', 'package-lock.json'].map((file) => join(root, file));

/** The newest modification time of any file under `path` (0 when it does not exist). */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

function reasonToBuild(): string | undefined {
  if (process.env.FORCE_CLIENT_BUILD === '1') return 'FORCE_CLIENT_BUILD=1';
  if (!existsSync(builtIndex)) return 'dist/client/index.html is missing';
  const builtAt = statSync(builtIndex).mtimeMs;
  const newestSource = Math.max(...[...sources, ...configFiles].map(newestMtime));
  if (newestSource > builtAt) return 'sources changed since the last build';
  return undefined;
}

const reason = reasonToBuild();
if (!reason) {
  console.log('[build-client] dist/client is up to date.');
} else {
  console.log(`[build-client] Building the client (${reason})...`);
  const started = Date.now();
  const { build } = await import('vite');
  // root is given here too: Vite resolves the config's `root` against the working directory.
  await build({ configFile: join(root, 'vite.config.ts'), root: join(root, 'client'), logLevel: 'warn' });
  console.log(`[build-client] Built dist/client in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

/**
 * The client's initial JavaScript (issue 8): what the browser must download before the first screen (the sign-in
 * page or the client list) can run. Built with the project's own Vite config into a temp folder (dist/ is left
 * alone); "initial" is the entry chunk and every chunk it imports statically (the modulepreloads of index.html),
 * from Vite's manifest. Pages loaded on demand (card, new client, monitor, settings) are listed but not counted.
 * Baseline, same run: a bare React app (react-dom rendering one element) built by the same Vite, the floor of any
 * React client. Target: under 250 KB gzipped. Sizes are gzip level 6, what a web server typically sends.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import type { BenchResult } from './report';

const ROOT = resolve(import.meta.dirname, '..');
const TARGET_KB = 250;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

interface Sizes {
  raw: number;
  gzip: number;
  files: string[];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function sizeOf(outDir: string, files: string[]): Sizes {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(join(outDir, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 6 }).length;
  }
  return { raw, gzip, files };
}

/** The entry chunks and everything they import statically: what loads before the app runs. */
function initialJs(outDir: string): { initial: Sizes; lazy: Sizes } {
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const initial = new Set<string>();
  const visit = (key: string) => {
    if (initial.has(key)) return;
    initial.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  const files = (keys: string[]) => keys.map((key) => manifest[key]?.file ?? '').filter((file) => file.endsWith('.js'));
  const lazyKeys = Object.keys(manifest).filter((key) => !initial.has(key));
  return { initial: sizeOf(outDir, files([...initial])), lazy: sizeOf(outDir, files(lazyKeys)) };
}

async function viteBuild(root: string, outDir: string, configFile: string | false): Promise<void> {
  await build({
    root,
    configFile,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, manifest: true, reportCompressedSize: false },
  });
}

/** The smallest React app: one element rendered by react-dom, built the same way. */
async function bareReactApp(workDir: string): Promise<Sizes> {
  const root = join(workDir, 'bare-react');
  mkdirSync(root, { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><div id="root"></div><script type="module" src="./main.js"></script>',
  );
  writeFileSync(
    join(root, 'main.js'),
    "import { createElement } from 'react';\nimport { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')).render(createElement('p', null, 'Hello'));\n",
  );
  const outDir = join(workDir, 'bare-react-dist');
  await viteBuild(root, outDir, false);
  return initialJs(outDir).initial;
}

export async function run(): Promise<BenchResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'kartoteka-bundle-'));
  try {
    const outDir = join(workDir, 'client');
    await viteBuild(join(ROOT, 'client'), outDir, join(ROOT, 'vite.config.ts'));
    const { initial, lazy } = initialJs(outDir);
    const bare = await bareReactApp(workDir);
    console.log(
      `initial JS ${kb(initial.gzip)} gzipped (${kb(initial.raw)} raw, ${initial.files.length} files); pages loaded on demand ${kb(lazy.gzip)}; a bare React app ${kb(bare.gzip)}`,
    );
    return {
      bench: 'bundle',
      rows: [
        {
          measure: 'client initial JS, gzipped',
          value: `${kb(initial.gzip)} (${kb(initial.raw)} raw, ${initial.files.length} files) vs ${kb(bare.gzip)} for a bare React app (${(initial.gzip / bare.gzip).toFixed(1)}x)`,
          target: `< ${TARGET_KB} KB`,
          met: initial.gzip / 1024 < TARGET_KB,
        },
        { measure: 'pages loaded on demand, gzipped', value: `${kb(lazy.gzip)} (${lazy.files.length} files)` },
      ],
      notes: [
        `initial = ${initial.files.join(', ')}; gzip level 6, as the app's server sends them (compression middleware on the built files)`,
      ],
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

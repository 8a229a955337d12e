import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runAppToExit } from '../load/app-process';

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

async function start(dataDir: string) {
  const { code, output } = await runAppToExit({
    dataDir,
    adminEmail: 'admin@example.com',
    adminPassword: 'admin-password-123',
  });
  expect(code).toBe(1);
  expect(output).not.toMatch(/^\s+at /m);
  const lines = output.trim().split('\n');
  expect(lines.at(-1)).toMatch(/^Kartoteka could not start: /);
  return lines.at(-1) ?? '';
}

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

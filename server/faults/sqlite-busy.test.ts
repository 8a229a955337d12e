import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EntityManager } from '@mikro-orm/knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ClientEvent } from '../activity/entity';
import { type RunningApp, startApp } from '../app';
import { DATABASE_BUSY } from '../db/unavailable';
import { apiAt, signInCookie } from '../load/session';
import { Note } from '../notes/entity';
import { type ApiClient, failure } from '../test/harness';

/**
 * SQLite lock contention (issue 8): another process (a second app instance on the same file, a backup, the
 * sqlite3 shell) holds the write lock while people save. SQLite waits for it (busy_timeout = 5000, see
 * mikro-orm.config.ts) and the save goes through; only a lock held longer than that reaches people, as a clear
 * "busy, try again" with nothing written. Always SQLite, whatever DATABASE_URL says.
 */
const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
let dataDir: string;
let app: RunningApp;
let api: ApiClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kartoteka-busy-'));
  app = await startApp({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    database: { sqlitePath: join(dataDir, 'kartoteka.sqlite') },
    adminEmail: ADMIN.email,
    adminPassword: ADMIN.password,
    seedDemo: false,
    allowedOrigins: [],
  });
  api = apiAt(app.url, await signInCookie(app.url, ADMIN.email, ADMIN.password));
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Another process holding the file's write lock for `ms`, as a second app instance, a backup or the sqlite3 shell
 * would (a child process, as in life). Resolves once the lock is held, with `released`.
 */
async function holdWriteLock(ms: number): Promise<{ released: Promise<void> }> {
  const script = `
    const db = new (require('sqlite3').Database)(process.argv[1]);
    db.exec('BEGIN IMMEDIATE', (error) => {
      if (error) { console.error(error.message); process.exit(1); }
      console.log('locked');
      setTimeout(() => db.exec('COMMIT', () => db.close(() => process.exit(0))), Number(process.argv[2]));
    });`;
  const child = spawn(process.execPath, ['-e', script, join(dataDir, 'kartoteka.sqlite'), String(ms)], {
    cwd: resolve(import.meta.dirname, '../..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await new Promise<void>((locked, fail) => {
    child.stdout.once('data', () => locked());
    void exited.then(() => fail(new Error('The lock holder exited before taking the lock.')));
  });
  return { released: exited };
}

const em = () => app.orm.em.fork() as EntityManager;

it('waits for another process’s write lock and then saves, whatever the save reads first', async () => {
  const client = await api.clients.create.mutate({ name: 'Busy Client', city: 'Start' });
  const { released } = await holdWriteLock(1_500);

  // Each of these reads inside its transaction before writing: the case busy_timeout alone does not cover.
  const [updated, note, created, project] = await Promise.all([
    api.clients.update.mutate({ id: client.id, changes: { city: { base: 'Start', value: 'After the lock' } } }),
    api.notes.add.mutate({ clientId: client.id, body: 'Written during the lock', visibility: 'public' }),
    api.clients.create.mutate({ name: 'Created during the lock' }),
    api.projects.add.mutate({ clientId: client.id, name: 'Project during the lock' }),
  ]);
  await released;
  expect(updated.conflicts).toEqual([]);
  expect(updated.client.city).toBe('After the lock');
  expect((await api.clients.get.query({ id: created.id })).name).toBe('Created during the lock');
  expect((await api.notes.list.query({ clientId: client.id })).map((n) => n.body)).toContain('Written during the lock');
  const types = (await em().find(ClientEvent, { clientId: [client.id, created.id] })).map((row) => row.type);
  expect(types.sort()).toEqual(['client.created', 'client.created', 'client.updated', 'note.added', 'project.added']);
  expect(note.id).toBeGreaterThan(0);
  expect(project.id).toBeGreaterThan(0);
});

it('says the database is busy, and writes nothing, when the lock outlasts the wait; the same save works after', async () => {
  const client = await api.clients.create.mutate({ name: 'Long Lock Client' });
  const eventsBefore = await em().count(ClientEvent, {});
  const { released } = await holdWriteLock(6_500);
  const refused = await failure(api.notes.add.mutate({ clientId: client.id, body: 'Too late', visibility: 'public' }));
  await released;
  expect(refused).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', message: DATABASE_BUSY });
  expect(await em().count(Note, { body: 'Too late' })).toBe(0);
  expect(await em().count(ClientEvent, {})).toBe(eventsBefore);

  await api.notes.add.mutate({ clientId: client.id, body: 'Too late', visibility: 'public' });
  expect(await em().count(Note, { body: 'Too late' })).toBe(1);
});

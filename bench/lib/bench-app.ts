import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/knex';
import { openDatabase } from '../../server/db/orm';
import { type AppProcess, startAppProcess } from '../../server/load/app-process';
import { sessionCookieFor } from '../../server/load/session';
import { createUser } from '../../server/users/service';
import type { Role } from '../../shared/enums';

export const BENCH_ADMIN = { email: 'admin@example.com', password: 'bench-admin-password' };

/** Signed-in sessions for a benchmark: an admin, an editor (agent) and `viewerSessions` viewer sessions. */
export interface BenchSessions {
  adminCookie: string;
  editorCookie: string;
  /** One cookie per viewer session: a browser's tabs share one session, so give each subscriber its own. */
  viewerCookies: string[];
}

/** Viewer sessions belong to this many people (each signed in from several browsers). */
const VIEWERS = 20;

/**
 * Creates the users and their sessions straight in the database, as signing in would, without one password hash
 * per session (a thousand sign-ins would take minutes and meet the sign-in throttle).
 */
export async function createBenchSessions(em: EntityManager, viewerSessions: number): Promise<BenchSessions> {
  const cookieFor = (userId: number) => sessionCookieFor(em, userId);
  const user = (role: Role, email: string, password: string) =>
    createUser(em, { email, name: email.split('@')[0] ?? email, role, password });
  const admin = await user('admin', BENCH_ADMIN.email, BENCH_ADMIN.password);
  const editor = await user('agent', 'editor@example.com', 'editor-password-1');
  const viewers = [];
  for (let i = 1; i <= Math.min(VIEWERS, viewerSessions); i++) {
    viewers.push(await user('viewer', `viewer${i}@example.com`, `viewer-password-${i}`));
  }
  const viewerCookies: string[] = [];
  for (let i = 0; i < viewerSessions; i++) viewerCookies.push(await cookieFor(viewers[i % viewers.length]?.id ?? 0));
  return { adminCookie: await cookieFor(admin.id), editorCookie: await cookieFor(editor.id), viewerCookies };
}

export interface BenchApp extends BenchSessions {
  app: AppProcess;
  url: string;
  dataDir: string;
  /** Stops the app and removes its data. */
  close(): Promise<void>;
}

/**
 * The app as `npm start` runs it, in its own process on a fresh SQLite file in a temp folder, so what is
 * measured there (memory above all) is the server's alone and not the benchmark's. The database is migrated and
 * given its users and sessions first.
 */
export async function startBenchApp(options: { viewerSessions: number; nodeArgs?: string[] }): Promise<BenchApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kartoteka-bench-'));
  const orm = await openDatabase({ sqlitePath: join(dataDir, 'kartoteka.sqlite') });
  const sessions = await createBenchSessions(orm.em.fork() as EntityManager, options.viewerSessions);
  await orm.close();
  const app = await startAppProcess({
    dataDir,
    adminEmail: BENCH_ADMIN.email,
    adminPassword: BENCH_ADMIN.password,
    // BENCH_APP_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the app under a benchmark.
    nodeArgs: [...(options.nodeArgs ?? []), ...(process.env.BENCH_APP_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
  });
  return {
    ...sessions,
    app,
    url: app.url,
    dataDir,
    async close() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

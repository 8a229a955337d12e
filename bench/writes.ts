/**
 * Sustained writes (issue 8): field edits per second on SQLite while 200 subscribers watch live.events on real
 * WebSockets. Editors each edit their own client's city again and again, each edit from the value before (as a
 * careful editor would), 50 at once (as in the load test), for BENCH_WRITES_SECONDS (default 8) per variant:
 *  - clients.update over HTTP (tRPC), the whole way a browser saves a field, beside the HTTP floor measured in
 *    the same run: auth.me, the cheapest signed-in tRPC request. Both go out as tRPC's own HTTP requests on
 *    keep-alive sockets (lean-trpc.ts), not through `fetch`, whose CPU in this process would be timed as ours;
 *  - the clients service's updateClient, the save itself (read, validation, per-field merge, group commit with
 *    the event log, live delivery to the subscribers), without HTTP: the target's measure;
 *  - the save's write alone (the versioned UPDATE, committed together with the other saves of the moment) with
 *    its event, and the same WITHOUT the event (a bench-only path no product code has: it shows what the log
 *    and its live delivery cost);
 *  - the floor, in the same run: a bare SQLite UPDATE committed, on a file with the app's settings.
 * Target: at least 1,000 edits/s on SQLite. The app runs in this process (the bench-only path needs its ORM);
 * the subscribers, like the browsers they stand for, run in a process of their own and only count events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/knex';
import sqlite3 from 'sqlite3';
import { type PendingEvent, writeTogether } from '../server/activity/write-path';
import { type RunningApp, startApp } from '../server/app';
import type { Actor } from '../server/auth/actor';
import { Client } from '../server/clients/entity';
import { updateClient } from '../server/clients/service';
import { runSql, updateVersioned } from '../server/db/sql';
import { apiAt } from '../server/load/session';
import { createBenchSessions } from './lib/bench-app';
import { type LeanTrpc, leanTrpc } from './lib/lean-trpc';
import { envNumber, latencies, ms } from './lib/stats';
import { startWatchers, type Watchers } from './lib/watchers';
import type { BenchResult, BenchRow } from './report';

const SECONDS = envNumber('BENCH_WRITES_SECONDS', 8);
const SUBSCRIBERS = envNumber('BENCH_WRITES_SUBSCRIBERS', 200);
const EDITORS = envNumber('BENCH_WRITES_EDITORS', 50);
const WARM_UP_SECONDS = 3;
const TARGET_PER_SECOND = 1000;

/** One editor's edit of its client's city from `base` to `value`. */
type Edit = (clientId: number, base: string, value: string) => Promise<void>;

interface Throughput {
  perSecond: number;
  edits: number;
  samples: number[];
}

/** EDITORS loops, each editing its own client as fast as the edit returns, for `seconds`. */
async function sustain(
  clientIds: number[],
  label: string,
  currentCity: (clientId: number) => Promise<string | null>,
  edit: Edit,
  seconds = SECONDS,
): Promise<Throughput> {
  const samples: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    clientIds.map(async (clientId) => {
      let city = (await currentCity(clientId)) ?? '';
      for (let n = 1; performance.now() < deadline; n++) {
        const value = `${label} ${clientId}.${n}`;
        const before = performance.now();
        await edit(clientId, city, value);
        samples.push(performance.now() - before);
        city = value;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: samples.length / elapsed, edits: samples.length, samples };
}

/** The floor: a bare UPDATE of one row, committed, EDITORS at a time, on its own SQLite file. */
async function bareUpdates(path: string): Promise<Throughput> {
  const db = new sqlite3.Database(path);
  const exec = (sql: string) =>
    new Promise<void>((done, fail) => db.exec(sql, (error) => (error ? fail(error) : done())));
  await exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
  await exec('create table client (id integer primary key, city text, version integer not null default 1)');
  for (let id = 1; id <= EDITORS; id++) await exec(`insert into client (id, city) values (${id}, 'Start')`);
  const result = await sustain(
    Array.from({ length: EDITORS }, (_, i) => i + 1),
    'Floor',
    async () => 'Start',
    (id, _base, value) =>
      new Promise<void>((done, fail) =>
        db.run('update client set city = ?, version = version + 1 where id = ?', [value, id], (error) =>
          error ? fail(error) : done(),
        ),
      ),
  );
  await new Promise<void>((done) => db.close(() => done()));
  return result;
}

export async function run(): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kartoteka-bench-'));
  const app: RunningApp = await startApp({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    database: { sqlitePath: join(dataDir, 'kartoteka.sqlite') },
    seedDemo: false,
    allowedOrigins: [],
  });
  const rows: BenchRow[] = [];
  let watchers: Watchers | null = null;
  let lean: LeanTrpc | null = null;
  try {
    const em = () => app.orm.em.fork() as EntityManager;
    const sessions = await createBenchSessions(em(), SUBSCRIBERS);
    const api = apiAt(app.url, sessions.editorCookie);
    const me = await api.auth.me.query();
    if (!me) throw new Error('not signed in');
    const actor: Actor = { id: me.id, name: me.name, role: me.role, clientId: null };
    const clientIds: number[] = [];
    for (let i = 0; i < EDITORS; i++) {
      clientIds.push((await api.clients.create.mutate({ name: `Edited Client ${i}`, city: 'Start' })).id);
    }
    const currentCity = async (id: number) => (await em().findOneOrFail(Client, id)).city ?? null;

    watchers = await startWatchers(app.url, sessions.viewerCookies);
    const received = async () => {
      const { received, failed } = await (watchers as Watchers).count();
      if (failed > 0) throw new Error(`${failed} live.events subscriptions failed`);
      return received;
    };
    /** Waits (at most two minutes) until the subscribers have received `expected` events; answers how many they have. */
    const caughtUpTo = async (expected: number) => {
      const since = performance.now();
      let delivered = await received();
      while (delivered < expected && performance.now() - since < 120_000) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        delivered = await received();
      }
      return delivered;
    };

    const floor = await bareUpdates(join(dataDir, 'floor.sqlite'));
    const floorLatency = latencies(floor.samples);
    const wire = leanTrpc(app.url, sessions.editorCookie);
    lean = wire;
    const updateOverHttp: Edit = async (id, base, value) => {
      const { conflicts } = await wire.updateClient({ id, changes: { city: { base, value } } });
      if (conflicts.length > 0) throw new Error(`conflict: ${JSON.stringify(conflicts)}`);
    };
    // The HTTP rows come first: without a warm-up they would time the JIT compiling the request path.
    const warmUp = await sustain(clientIds, 'Warm-up', currentCity, updateOverHttp, WARM_UP_SECONDS);
    await caughtUpTo(warmUp.edits * SUBSCRIBERS);
    const http = await sustain(clientIds, 'HTTP floor', currentCity, async () => {
      await wire.me();
    });
    const httpFloor = latencies(http.samples);
    const variants: { measure: string; edit: Edit; logged: boolean; target?: true }[] = [
      {
        measure: 'clients.update over HTTP',
        logged: true,
        edit: updateOverHttp,
      },
      {
        measure: 'updateClient (the save, without HTTP)',
        logged: true,
        target: true,
        edit: async (id, base, value) => {
          const { conflicts } = await updateClient(em(), actor, id, { city: { base, value } });
          if (conflicts.length > 0) throw new Error(`conflict: ${JSON.stringify(conflicts)}`);
        },
      },
      {
        measure: 'the write alone, with its event',
        logged: true,
        edit: (id, base, value) =>
          writeAlone(id, value, {
            clientId: id,
            type: 'client.updated',
            changes: { city: { before: base, after: value } },
          }),
      },
      {
        // Bench only: a change that bypasses the event log would never reach anyone live. Never do this in the app.
        measure: 'the write alone WITHOUT the event (bench only)',
        logged: false,
        edit: (id, _base, value) => writeAlone(id, value, null),
      },
    ];
    /** The save's own write: a versioned UPDATE of the city, in a group commit, with `event` or none. */
    const writeAlone = async (id: number, value: string, event: PendingEvent | null) => {
      const fresh = em();
      for (;;) {
        const [row] = await runSql<{ version: number }>(fresh, {
          sql: 'select version from client where id = ?',
          params: [id],
        });
        const wrote = await writeTogether(fresh, actor, async (tx) => {
          const ok = await updateVersioned(
            tx,
            Client.meta.className,
            id,
            Number(row?.version),
            { city: value },
            new Date(),
          );
          return { events: ok && event ? [event] : [], value: ok };
        });
        if (wrote) return;
      }
    };
    for (const variant of variants) {
      const before = await received();
      const result = await sustain(clientIds, variant.measure, currentCity, variant.edit);
      // Let the subscribers catch up before the next variant, so one's fan-out does not slow the next.
      const expected = before + (variant.logged ? result.edits * SUBSCRIBERS : 0);
      const caughtUp = performance.now();
      const delivered = await caughtUpTo(expected);
      const latency = latencies(result.samples);
      rows.push({
        measure: variant.measure,
        p50: latency.p50,
        p95: latency.p95,
        baselineP50: floorLatency.p50,
        baselineP95: floorLatency.p95,
        ratio: latency.p50 / floorLatency.p50,
        ratioP95: latency.p95 / floorLatency.p95,
        value: `${Math.round(result.perSecond).toLocaleString('en')} edits/s (${result.edits} edits${variant.logged ? `, ${(result.edits * SUBSCRIBERS).toLocaleString('en')} deliveries, ${delivered >= expected ? 'all delivered' : `${expected - delivered} NOT delivered`}` : ''})`,
        ...(variant.target
          ? { target: `>= ${TARGET_PER_SECOND} edits/s`, met: result.perSecond >= TARGET_PER_SECOND }
          : {}),
      });
      console.log(
        `${variant.measure}: ${Math.round(result.perSecond)} edits/s, p50 ${ms(latency.p50)} ms per edit, caught up ${((performance.now() - caughtUp) / 1000).toFixed(1)} s after`,
      );
    }
    rows.push({
      measure: 'HTTP floor: auth.me, the cheapest signed-in request',
      p50: httpFloor.p50,
      p95: httpFloor.p95,
      value: `${Math.round(http.perSecond).toLocaleString('en')} requests/s`,
    });
    rows.push({
      measure: 'floor: bare SQLite UPDATE + commit',
      p50: floorLatency.p50,
      p95: floorLatency.p95,
      value: `${Math.round(floor.perSecond).toLocaleString('en')} edits/s`,
    });
    return {
      bench: 'writes',
      rows,
      notes: [
        `${EDITORS} editors at once, each on its own client, ${SECONDS} s per variant, ${SUBSCRIBERS} live.events subscribers on WebSockets in a process of their own; ms columns are per edit, "direct" is the bare SQLite UPDATE; the app runs in the bench process`,
      ],
    };
  } finally {
    lean?.close();
    await watchers?.stop();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

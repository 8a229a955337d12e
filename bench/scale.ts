/**
 * Scale-out (issue 7): the app on PostgreSQL and Redis behind nginx (deploy/nginx.conf), three instances against
 * one, in the same run, each on a fresh database of its own (server/scale/cluster.ts).
 *
 * - Edit-to-receive: one editor saves a field through nginx; 300 subscribers on WebSockets through nginx (spread
 *   round-robin over the instances) receive the event; p50/p95/p99 over every subscriber of every round, as
 *   bench/live.ts measures it. The one-instance run is the baseline.
 * - Events per second sustained: editors, each on its own client, save as fast as they are answered through
 *   nginx for a few seconds while the 300 subscribers watch; acknowledged edits per second, and the deliveries
 *   per second that reached the subscribers.
 *
 * BENCH_SCALE_SUBSCRIBERS (300), BENCH_SCALE_EDITORS (16), BENCH_SCALE_SECONDS (8) and BENCH_LIVE_ROUNDS (40)
 * make it smaller or longer.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { openDatabase } from '../server/db/orm';
import { apiAt } from '../server/load/session';
import { type TrpcFrame, TrpcSocket } from '../server/load/trpc-socket';
import { type Cluster, startCluster } from '../server/scale/cluster';
import { createBenchSessions } from './lib/bench-app';
import { eventsOfFrame, isHead } from './lib/frames';
import { envNumber, inBatches, latencies, ms } from './lib/stats';
import { measureApp } from './live';
import type { BenchResult, BenchRow } from './report';

const SUBSCRIBERS = envNumber('BENCH_SCALE_SUBSCRIBERS', 300);
const EDITORS = envNumber('BENCH_SCALE_EDITORS', 16);
const SECONDS = envNumber('BENCH_SCALE_SECONDS', 8);
const METRICS_TOKEN = 'bench-scale-metrics-token';

interface Measured {
  instances: number;
  /** Live WebSockets per instance, from each instance's /metrics, while the subscribers were connected. */
  spread: number[];
  samples: number[];
  missing: number;
  editsPerSecond: number;
  deliveriesPerSecond: number;
}

/** The WebSocket connections open on each instance now (kartoteka_websocket_connections). */
async function socketsPerInstance(cluster: Cluster): Promise<number[]> {
  return Promise.all(
    cluster.instances.map(async (instance) => {
      const response = await fetch(`${instance.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      const match = /^kartoteka_websocket_connections (\d+)/m.exec(await response.text());
      return Number(match?.[1] ?? 0);
    }),
  );
}

/** Editors saving as fast as they are answered for SECONDS while SUBSCRIBERS watch. */
async function sustained(
  cluster: Cluster,
  editorCookie: string,
  cookies: string[],
): Promise<{ edits: number; deliveries: number; seconds: number; spread: number[] }> {
  let deliveries = 0;
  let heads = 0;
  const sockets = await inBatches(SUBSCRIBERS, 50, async (index) => {
    const socket = await TrpcSocket.open(cluster.url, cookies[index % cookies.length] ?? '');
    const onData = (frame: TrpcFrame) => {
      if (isHead(frame)) heads++;
      deliveries += eventsOfFrame(frame).length;
    };
    socket.subscribe('live.events', {}, { onData });
    return socket;
  });
  while (heads < SUBSCRIBERS) await new Promise((resolve) => setTimeout(resolve, 20));
  const spread = await socketsPerInstance(cluster);
  const editor = apiAt(cluster.url, editorCookie);
  const clients = await Promise.all(
    Array.from({ length: EDITORS }, (_, i) => editor.clients.create.mutate({ name: `Sustained ${i}`, city: 'Start' })),
  );
  // The creations' deliveries are not part of the measure.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  deliveries = 0;
  let edits = 0;
  const started = performance.now();
  const until = started + SECONDS * 1_000;
  await Promise.all(
    clients.map(async (client) => {
      let city: string | null = 'Start';
      for (let n = 1; performance.now() < until; n++) {
        const value = `S${client.id}.${n}`;
        await editor.clients.update.mutate({ id: client.id, changes: { city: { base: city, value } } });
        city = value;
        edits++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1_000;
  const delivered = deliveries;
  await Promise.all(sockets.map((socket) => socket.close()));
  return { edits, deliveries: delivered, seconds, spread };
}

async function measure(instances: number): Promise<Measured> {
  const cluster = await startCluster({ instances, env: { METRICS_TOKEN } });
  try {
    const orm = await openDatabase({ databaseUrl: cluster.databaseUrl, sqlitePath: ':memory:' });
    const sessions = await createBenchSessions(orm.em.fork() as EntityManager, SUBSCRIBERS);
    await orm.close();
    const editor = apiAt(cluster.url, sessions.editorCookie);
    const client = await editor.clients.create.mutate({ name: 'Scale Fan-out', city: 'Start' });
    let city: string | null = 'Start';
    const latency = await measureApp(cluster.url, sessions.viewerCookies, SUBSCRIBERS, async (value) => {
      const { conflicts } = await editor.clients.update.mutate({
        id: client.id,
        changes: { city: { base: city, value } },
      });
      if (conflicts.length > 0) throw new Error('unexpected conflict');
      city = value;
    });
    const load = await sustained(cluster, sessions.editorCookie, sessions.viewerCookies);
    const result: Measured = {
      instances,
      spread: load.spread,
      samples: latency.samples,
      missing: latency.missing,
      editsPerSecond: load.edits / load.seconds,
      deliveriesPerSecond: load.deliveries / load.seconds,
    };
    const mine = latencies(result.samples);
    console.log(
      `${instances} instance${instances === 1 ? '' : 's'} (subscribers per instance ${result.spread.join('/')}): edit-to-receive p50 ${ms(mine.p50)} / p99 ${ms(mine.p99)} ms; ${result.editsPerSecond.toFixed(0)} edits/s sustained, ${result.deliveriesPerSecond.toFixed(0)} deliveries/s`,
    );
    return result;
  } finally {
    await cluster.close();
  }
}

export async function run(): Promise<BenchResult> {
  // One after the other, so the two setups do not share the machine's cores.
  const single = await measure(1);
  const three = await measure(3);
  const one = latencies(single.samples);
  const cluster = latencies(three.samples);
  const missing = (measured: Measured) => (measured.missing ? `, ${measured.missing} MISSING` : '');
  const rows: BenchRow[] = [
    {
      measure: `edit-to-receive, ${SUBSCRIBERS} subscribers over 3 instances (direct: 1 instance)`,
      p50: cluster.p50,
      p95: cluster.p95,
      baselineP50: one.p50,
      baselineP95: one.p95,
      ratio: cluster.p50 / one.p50,
      ratioP95: cluster.p95 / one.p95,
      value: `p99 ${ms(cluster.p99)} ms vs ${ms(one.p99)} ms, ${cluster.count} deliveries${missing(three)}${missing(single)}`,
    },
    {
      measure: `edits/s sustained, ${EDITORS} editors, ${SUBSCRIBERS} watching`,
      value: `3 instances: ${three.editsPerSecond.toFixed(0)}/s (${three.deliveriesPerSecond.toFixed(0)} deliveries/s); 1 instance: ${single.editsPerSecond.toFixed(0)}/s (${single.deliveriesPerSecond.toFixed(0)} deliveries/s)`,
    },
  ];
  return {
    bench: 'scale',
    rows,
    notes: [
      `PostgreSQL + Redis, everything through nginx (also the one-instance run); subscribers per instance ${three.spread.join('/')}; benchmark client, nginx, Redis, PostgreSQL and the instances share this machine`,
    ],
  };
}

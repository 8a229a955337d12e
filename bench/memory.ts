/**
 * Server memory per live connection (issue 8): the app runs in its own process (so its RSS is the server's
 * alone); 1,000 signed-in WebSocket connections each subscribe to live.events and then sit idle. Measured: the
 * server's RSS before connecting (the baseline, same run, same process) and after, the difference per
 * connection, twice: settled (which counts garbage V8 has not collected yet) and right after a forced full
 * garbage collection (what the connections really hold; the process gets --expose-gc and a SIGUSR2 hook,
 * bench/lib/gc-on-signal.mjs). Target: under 50 KB per connection, judged on the collected figure.
 *
 * BENCH_MEMORY_CONNECTIONS (default 1000) changes the count.
 */
import { resolve } from 'node:path';
import type { AppProcess } from '../server/load/app-process';
import { TrpcSocket } from '../server/load/trpc-socket';
import { startBenchApp } from './lib/bench-app';
import { envNumber, inBatches } from './lib/stats';
import type { BenchResult } from './report';

const CONNECTIONS = envNumber('BENCH_MEMORY_CONNECTIONS', 1000);
const TARGET_KB = 50;
const SETTLE_MS = 3_000;

const kb = (bytes: number) => bytes / 1024;
const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** RSS once it stops moving (the median of a few samples a second apart), then right after a full GC. */
async function measureRss(app: AppProcess): Promise<{ settled: number; collected: number }> {
  await sleep(SETTLE_MS);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(app.rssBytes());
    await sleep(1_000);
  }
  process.kill(app.pid, 'SIGUSR2');
  await sleep(1_000);
  return { settled: samples.sort((a, b) => a - b)[2] ?? 0, collected: app.rssBytes() };
}

export async function run(): Promise<BenchResult> {
  const bench = await startBenchApp({
    viewerSessions: CONNECTIONS,
    nodeArgs: ['--expose-gc', '--import', resolve(import.meta.dirname, 'lib/gc-on-signal.mjs')],
  });
  try {
    // One request of every kind a connection will cause, so code loaded lazily is not counted per connection.
    const warm = await TrpcSocket.open(bench.url, bench.viewerCookies[0] ?? '');
    await new Promise<void>((resolve) => warm.subscribe('live.events', {}, { onData: () => resolve() }));
    await warm.close();

    const before = await measureRss(bench.app);
    let heads = 0;
    const sockets = await inBatches(CONNECTIONS, 50, async (index) => {
      const socket = await TrpcSocket.open(bench.url, bench.viewerCookies[index] ?? '');
      socket.subscribe('live.events', {}, { onData: () => heads++ });
      return socket;
    });
    while (heads < CONNECTIONS) await sleep(20);
    const after = await measureRss(bench.app);
    const settled = kb(after.settled - before.settled) / CONNECTIONS;
    const collected = kb(after.collected - before.collected) / CONNECTIONS;
    console.log(
      `RSS ${mb(before.collected)} MB before, ${mb(after.collected)} MB with ${CONNECTIONS} subscribed connections after a full GC: ${collected.toFixed(1)} KB each (${settled.toFixed(1)} KB before collecting)`,
    );
    await Promise.all(sockets.map((socket) => socket.close()));
    return {
      bench: 'memory',
      rows: [
        {
          measure: `server RSS per idle live.events connection (${CONNECTIONS}), after a full GC`,
          value: `${collected.toFixed(1)} KB (RSS ${mb(before.collected)} MB -> ${mb(after.collected)} MB)`,
          target: `< ${TARGET_KB} KB per connection`,
          met: collected < TARGET_KB,
        },
        {
          measure: `the same, settled, garbage not yet collected`,
          value: `${settled.toFixed(1)} KB (RSS ${mb(before.settled)} MB -> ${mb(after.settled)} MB)`,
        },
      ],
      notes: [
        `RSS of the server process (its own, started like npm start) from /proc; the baseline is the same process before connecting; each connection has a session of its own (20 viewers signed in from many browsers)`,
      ],
    };
  } finally {
    await bench.close();
  }
}

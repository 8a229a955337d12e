/**
 * Live fan-out (issue 8): one editor saves a field (clients.update over HTTP); N subscribers on real WebSockets
 * (live.events, no filter, as the list and the monitor subscribe) receive the event. Measured: the time from
 * sending the save to each subscriber receiving it, p50/p95/p99 over every subscriber of every round.
 *
 * Baseline, in the same run on the same machine: a bare `ws` server in its own process that commits one row to
 * SQLite and then sends a message of the same size to the same N sockets (bench/lib/broadcast-server.ts), timed
 * the same way from the same client process; and the bare SQLite insert-and-commit alone.
 * Target: p99 at 500 subscribers within 3x the baseline's p99.
 *
 * BENCH_LIVE_SIZES (default 1,100,500,1000) and BENCH_LIVE_ROUNDS (default 40) make it smaller or longer.
 */
import { join } from 'node:path';
import WebSocket from 'ws';
import { apiAt } from '../server/load/session';
import { TrpcSocket } from '../server/load/trpc-socket';
import { startBenchApp } from './lib/bench-app';
import { startBroadcastServer } from './lib/broadcast';
import { eventsOfFrame, isHead } from './lib/frames';
import { timeBareCommits } from './lib/sqlite-floor';
import { envNumber, envNumbers, inBatches, latencies, ms } from './lib/stats';
import type { BenchResult, BenchRow } from './report';

const SIZES = envNumbers('BENCH_LIVE_SIZES', [1, 100, 500, 1000]);
const ROUNDS = envNumber('BENCH_LIVE_ROUNDS', 40);
const WARMUP = 2;
const TARGET_SIZE = 500;
const TARGET_RATIO = 3;
const ROUND_TIMEOUT_MS = 60_000;

/** One round: every socket reports when the round's message reached it. */
class Round {
  readonly arrivals: number[] = [];
  private done: () => void = () => {};
  readonly finished: Promise<void>;

  constructor(
    readonly marker: string,
    readonly startedAt: number,
    private readonly expected: number,
  ) {
    this.finished = new Promise((resolve) => {
      this.done = resolve;
    });
  }

  arrived(at: number): void {
    this.arrivals.push(at - this.startedAt);
    if (this.arrivals.length === this.expected) this.done();
  }
}

async function timed(round: Round, label: string): Promise<number[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ROUND_TIMEOUT_MS);
  });
  await Promise.race([round.finished, timeout]);
  clearTimeout(timer);
  if (round.arrivals.length === 0) throw new Error(`${label}: nothing arrived within ${ROUND_TIMEOUT_MS} ms`);
  return round.arrivals;
}

interface Measured {
  samples: number[];
  frameBytes: number;
  missing: number;
}

/** N subscribers on `url` and one editor: save-to-receive of every subscriber over the rounds (also bench/scale.ts). */
export async function measureApp(
  url: string,
  cookies: string[],
  subscribers: number,
  save: (city: string) => Promise<void>,
): Promise<Measured> {
  let round: Round | null = null;
  let frameBytes = 0;
  let heads = 0;
  const sockets = await inBatches(subscribers, 50, async (index) => {
    const socket = await TrpcSocket.open(url, cookies[index % cookies.length] ?? '');
    socket.subscribe(
      'live.events',
      {},
      {
        onData: (frame, at, bytes) => {
          if (isHead(frame)) heads++;
          const marked = eventsOfFrame(frame).some((event) => event.changes?.city?.after === round?.marker);
          if (round && marked) {
            frameBytes = bytes;
            round.arrived(at);
          }
        },
        onError: (frame) => console.error('live.events failed:', frame.error?.json?.message),
      },
    );
    return socket;
  });
  while (heads < subscribers) await new Promise((resolve) => setTimeout(resolve, 20));

  const samples: number[] = [];
  let missing = 0;
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const marker = `N${subscribers} round ${i}`;
    round = new Round(marker, performance.now(), subscribers);
    await save(marker);
    const arrivals = await timed(round, `${subscribers} subscribers`);
    if (i >= WARMUP) {
      samples.push(...arrivals);
      missing += subscribers - arrivals.length;
    }
  }
  await Promise.all(sockets.map((socket) => socket.close()));
  return { samples, frameBytes, missing };
}

async function measureBaseline(
  broadcastUrl: string,
  broadcast: (bytes: number) => Promise<void>,
  subscribers: number,
  bytes: number,
): Promise<number[]> {
  let round: Round | null = null;
  const sockets = await inBatches(subscribers, 50, async () => {
    const socket = new WebSocket(`${broadcastUrl.replace('http', 'ws')}/ws`);
    socket.on('message', (data) => {
      const at = performance.now();
      JSON.parse(String(data)); // the app's subscribers parse each frame too
      round?.arrived(at);
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return socket;
  });
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    round = new Round(String(i), performance.now(), subscribers);
    await broadcast(bytes);
    const arrivals = await timed(round, `baseline ${subscribers}`);
    if (i >= WARMUP) samples.push(...arrivals);
  }
  for (const socket of sockets) socket.terminate();
  return samples;
}

export async function run(): Promise<BenchResult> {
  const bench = await startBenchApp({ viewerSessions: Math.max(...SIZES) });
  const floor = await startBroadcastServer(join(bench.dataDir, 'broadcast-floor.sqlite'));
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  try {
    const editor = apiAt(bench.url, bench.editorCookie);
    const client = await editor.clients.create.mutate({ name: 'Fan-out Client', city: 'Start' });
    let city: string | null = 'Start';
    const save = async (value: string) => {
      const { conflicts } = await editor.clients.update.mutate({
        id: client.id,
        changes: { city: { base: city, value } },
      });
      if (conflicts.length > 0) throw new Error('unexpected conflict');
      city = value;
    };

    const commits = latencies(await timeBareCommits(join(bench.dataDir, 'commit-floor.sqlite'), 200));
    rows.push({
      measure: 'bare SQLite insert+commit',
      p50: commits.p50,
      p95: commits.p95,
      value: `p99 ${ms(commits.p99)} ms`,
    });
    console.log(`bare SQLite insert+commit: p50 ${ms(commits.p50)} ms, p99 ${ms(commits.p99)} ms`);

    for (const subscribers of SIZES) {
      const app = await measureApp(bench.url, bench.viewerCookies, subscribers, save);
      const base = latencies(await measureBaseline(floor.url, floor.broadcast, subscribers, app.frameBytes));
      const mine = latencies(app.samples);
      const ratio99 = mine.p99 / base.p99;
      const targeted = subscribers === TARGET_SIZE;
      rows.push({
        measure: `fan-out to ${subscribers} subscriber${subscribers === 1 ? '' : 's'}`,
        p50: mine.p50,
        p95: mine.p95,
        baselineP50: base.p50,
        baselineP95: base.p95,
        ratio: mine.p50 / base.p50,
        ratioP95: mine.p95 / base.p95,
        value: `p99 ${ms(mine.p99)} ms vs ${ms(base.p99)} ms (${ratio99.toFixed(2)}x), ${app.frameBytes} B frames, ${mine.count} deliveries${app.missing ? `, ${app.missing} MISSING` : ''}`,
        ...(targeted ? { target: `p99 <= ${TARGET_RATIO}x baseline p99`, met: ratio99 <= TARGET_RATIO } : {}),
      });
      console.log(
        `${subscribers} subscribers: p50 ${ms(mine.p50)} / p99 ${ms(mine.p99)} ms; bare broadcast p50 ${ms(base.p50)} / p99 ${ms(base.p99)} ms`,
      );
    }
    notes.push(
      `save-to-receive over ${ROUNDS} rounds per size (${WARMUP} warm-up rounds not counted); each subscriber has a session of its own (20 viewers signed in from many browsers); the baseline commits one SQLite row and sends a same-size message from a bare ws server`,
    );
  } finally {
    await floor.stop();
    await bench.close();
  }
  return { bench: 'live', rows, notes };
}

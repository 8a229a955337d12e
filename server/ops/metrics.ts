import { timingSafeEqual } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { BulkHistogram } from './bulk-histogram';

/** How the live subscriptions are counted: the event stream and presence watches. */
export type SubscriptionKind = 'events' | 'presence';

/** The knex pool's numbers (tarn.js); SQLite's pool holds its one connection. */
export interface PoolUse {
  used: number;
  free: number;
  pending: number;
  max: number;
}

/** What the gauges read when Prometheus scrapes, wired by the app once its parts exist. */
export interface MetricSources {
  websockets(): number;
  presenceEntries(): Promise<number>;
  pool(): PoolUse | null;
}

// Latencies from a millisecond (an in-memory call) to ten seconds (a stuck database or a huge import).
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let processRegistry: Registry | undefined;

/**
 * Process-wide series (CPU, memory, event loop delay, GC), in a registry of their own created once: every app
 * started in one process (the tests start many) shares them, where a second collector per app would only leak.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** The Prometheus series of one app (names in the README's "Operations" section). */
export class Metrics {
  readonly registry = new Registry();
  private sources: MetricSources = { websockets: () => 0, presenceEntries: async () => 0, pool: () => null };

  readonly httpDuration = new Histogram({
    name: 'kartoteka_http_request_duration_seconds',
    help: 'HTTP requests by method, route and status: time to the last byte of the answer.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly trpcDuration = new Histogram({
    name: 'kartoteka_trpc_call_duration_seconds',
    help: 'tRPC queries and mutations by procedure, transport (http, ws) and outcome (ok or the error code).',
    labelNames: ['procedure', 'type', 'transport', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly subscriptions = new Gauge({
    name: 'kartoteka_live_subscriptions',
    help: 'Live subscriptions open now, by kind (events, presence).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'kartoteka_events_appended_total',
    help: 'Rows this instance appended to the event log.',
    registers: [this.registry],
  });

  readonly eventsDelivered = new Counter({
    name: 'kartoteka_events_delivered_total',
    help: 'Events sent to live subscribers (one per subscriber that received it).',
    registers: [this.registry],
  });

  readonly deliveryLag = new BulkHistogram(
    'kartoteka_event_delivery_lag_seconds',
    'From an event being written in its transaction to its sending to a live subscriber (replays not counted).',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    this.registry,
  );

  constructor() {
    const sources = () => this.sources;
    new Gauge({
      name: 'kartoteka_websocket_connections',
      help: 'WebSocket connections open now.',
      registers: [this.registry],
      collect() {
        this.set(sources().websockets());
      },
    });
    new Gauge({
      name: 'kartoteka_presence_entries',
      help: 'Presence entries (a browser tab on a client card) held now.',
      registers: [this.registry],
      async collect() {
        this.set(await sources().presenceEntries());
      },
    });
    new Gauge({
      name: 'kartoteka_db_pool_connections',
      help: 'Database pool connections by state: used, free, pending (callers waiting for one).',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const pool = sources().pool();
        for (const state of ['used', 'free', 'pending'] as const) this.set({ state }, pool?.[state] ?? 0);
      },
    });
    new Gauge({
      name: 'kartoteka_db_pool_max',
      help: 'The most connections the database pool opens (1 on SQLite).',
      registers: [this.registry],
      collect() {
        this.set(sources().pool()?.max ?? 0);
      },
    });
    for (const kind of ['events', 'presence'] as const) this.subscriptions.set({ kind }, 0);
  }

  /** Wires the gauges that read the app's state at scrape time. */
  watch(sources: MetricSources): void {
    this.sources = sources;
  }

  /** The exposition text: this app's series, then the process's. */
  async text(): Promise<string> {
    return `${await this.registry.metrics()}\n${await processMetrics().metrics()}`;
  }

  /** Events sent to a subscriber, written when `at`; `live` once its replay is over (see observe). */
  delivered(at: readonly Date[], live = true): void {
    if (at.length === 0) return;
    this.eventsDelivered.inc(at.length);
    const now = Date.now();
    if (!live) return;
    // The events of one commit share their write time, and come one after another: one observation per run.
    for (let start = 0; start < at.length; ) {
      const time = (at[start] as Date).getTime();
      let end = start + 1;
      while (end < at.length && (at[end] as Date).getTime() === time) end++;
      this.deliveryLag.observe(Math.max(0, now - time) / 1000, end - start);
      start = end;
    }
  }

  /**
   * A live subscription, counted while open. For the event stream also each event sent and, once the replay is
   * over (`sent` says 'head'), how long after its write: a replay of yesterday's events is no delivery lag.
   * `sent` tells what a yielded value is: the head marker, or the events it carries (when each was written).
   * The source's own iterator is handed on, only watched: no generator in between, so back-pressure, return()
   * and the timing of each send stay exactly the source's.
   */
  observe<T>(kind: SubscriptionKind, source: AsyncIterable<T>, sent?: (value: T) => 'head' | readonly Date[]) {
    const metrics = this;
    return {
      [Symbol.asyncIterator](): AsyncIterator<T> {
        const iterator = source[Symbol.asyncIterator]();
        metrics.subscriptions.inc({ kind });
        let open = true;
        let live = false;
        const close = () => {
          if (open) metrics.subscriptions.dec({ kind });
          open = false;
        };
        const ended = (result: IteratorResult<T>) => {
          if (result.done) close();
          return result;
        };
        const failed = (error: unknown): never => {
          close();
          throw error;
        };
        return {
          next: () =>
            iterator.next().then((result) => {
              if (result.done) return ended(result);
              const what = sent?.(result.value) ?? [];
              if (what === 'head') live = true;
              else metrics.delivered(what, live);
              return result;
            }, failed),
          return: (value?: unknown) =>
            (iterator.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined })).then(
              ended,
              failed,
            ),
          throw: (error?: unknown) => (iterator.throw?.(error) ?? Promise.reject(error)).then(ended, failed),
        };
      },
    };
  }
}

/** The part of tarn.js's pool (knex's) that tells its use. */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  max: number;
}

/** The ORM's connection pool use, or null when it has no pool (yet). */
export function poolUseOf(orm: MikroORM): PoolUse | null {
  // knex types its client as `any`; the pool is tarn.js's, created on the first connection.
  const pool = (orm.em as EntityManager).getConnection().getKnex().client.pool as TarnPool | undefined;
  if (!pool) return null;
  return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires(), max: pool.max };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /metrics for Prometheus, with `Authorization: Bearer <METRICS_TOKEN>`. Without a token configured the
 * address does not exist (404): metrics tell a lot about the system and are never public by default.
 */
export function metricsRoute(metrics: Metrics, token: string | undefined): RequestHandler {
  return async (req, res) => {
    if (!token) {
      res.status(404).type('text').send('Not found');
      return;
    }
    const [scheme, given] = (req.get('authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !given || !sameSecret(given, token)) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer realm="metrics"')
        .type('text')
        .send('Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".');
      return;
    }
    res.type('text/plain; version=0.0.4; charset=utf-8').send(await metrics.text());
  };
}

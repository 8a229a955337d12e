import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { TRPCError, type TrackedEnvelope, tracked } from '@trpc/server';
import { ClientEvent } from '../activity/entity';
import { eventFor, type LiveEvent, type LiveMessage, type Viewer } from './events';
import type { LogReader } from './log-reader';
import { type Subscriber, Wakeup } from './subscriber';
import { serializedBytes } from './transformer';
import type { WakeRounds } from './wake-rounds';

export interface StreamSettings {
  /** Rows read from the log at a time: the most a subscription holds in memory besides the socket's queue. */
  pageSize: number;
  /** How often an idle subscription re-reads its session (it also does so on every wake-up). */
  sessionCheckMs: number;
  /** A batch of events (LiveBatch) stops growing at about this many bytes; a bigger event goes alone. */
  frameBytes: number;
}

/** What one open event stream holds right now, for tests and diagnostics. */
export interface StreamStats {
  id: number;
  userId: number;
  clientId: number | null;
  /** The log position: every event up to it that the subscriber may see has been sent. */
  position: number;
  /** Events read from the log and waiting for room on the socket (at most one page). */
  pending: number;
  /** Bytes queued on the socket now, and the most seen before a send. */
  bufferedBytes: number;
  peakBufferedBytes: number;
  sent: number;
}

/** The open event streams of one app. */
export class StreamRegistry {
  private nextId = 1;
  private readonly open = new Map<
    number,
    { stats: Omit<StreamStats, 'bufferedBytes' | 'peakBufferedBytes'>; subscriber: Subscriber }
  >();

  add(subscriber: Subscriber, userId: number, clientId: number | null) {
    const stats = { id: this.nextId++, userId, clientId, position: 0, pending: 0, sent: 0 };
    this.open.set(stats.id, { stats, subscriber });
    return { stats, remove: () => this.open.delete(stats.id) };
  }

  /** A copy of every open stream's numbers. */
  list(): StreamStats[] {
    return [...this.open.values()].map(({ stats, subscriber }) => ({
      ...stats,
      bufferedBytes: subscriber.bufferedBytes,
      peakBufferedBytes: subscriber.peakBufferedBytes,
    }));
  }
}

type Envelope = TrackedEnvelope<LiveMessage>;

/** `events` cut into runs of about `frameBytes` at most, in order; an event bigger than that is a run of its own. */
function framesOf(events: LiveEvent[], frameBytes: number): LiveEvent[][] {
  const frames: LiveEvent[][] = [];
  let bytes = 0;
  for (const event of events) {
    const size = serializedBytes(event);
    const current = frames.at(-1);
    if (current && bytes + size <= frameBytes) {
      current.push(event);
      bytes += size;
    } else {
      frames.push([event]);
      bytes = size;
    }
  }
  return frames;
}

export async function maxSeq(orm: MikroORM): Promise<number> {
  const [last] = await (orm.em.fork() as EntityManager).find(
    ClientEvent,
    {},
    { orderBy: { seq: 'desc' }, limit: 1, fields: ['seq'] },
  );
  return last?.seq ?? 0;
}

function viewerOf(user: Viewer): Viewer {
  return { id: user.id, role: user.role, clientId: user.clientId };
}

/**
 * The live event stream of one subscriber. It joins the wake-up rounds (the bus, via wake-rounds.ts) before
 * reading anything, so no commit can slip between the replay and going live; replays the log after `lastEventId`
 * page by page; sends a head marker; then,
 * on every wake-up, reads what the log holds beyond its position. The bus only says "the log grew", so a missed
 * or late wake-up costs nothing: the log is read by position, never by the seq the bus carried, which also fills
 * any gap. Seq order and no duplicates follow from reading strictly after the position, which only grows.
 *
 * Without `lastEventId` nothing is replayed: the head marker gives the current end of the log to resume from.
 * A `lastEventId` beyond the end (a log restored from a backup) is treated as the end.
 */
export async function* liveEvents(options: {
  orm: MikroORM;
  /** The app's wake-up rounds: every save's seq reaches the stream through them. */
  wakes: WakeRounds;
  /** The app's shared reader of the log: subscribers at the same position share one read. */
  log: LogReader;
  registry: StreamRegistry;
  subscriber: Subscriber;
  settings: StreamSettings;
  /** The user as the session said when the subscription started. */
  user: Viewer;
  lastEventId: number | null;
  clientId: number | null;
}): AsyncGenerator<Envelope, void, void> {
  const { orm, subscriber, settings } = options;
  const { signal } = subscriber;
  let viewer = viewerOf(options.user);
  if (viewer.role === 'client' && options.clientId !== null && options.clientId !== viewer.clientId) {
    throw new TRPCError({ code: 'NOT_FOUND', message: `Client ${options.clientId} does not exist.` });
  }
  // A portal user's stream reads only its own client's rows; the per-event check below is the real guard.
  const scope = viewer.role === 'client' ? viewer.clientId : options.clientId;

  const wakeup = new Wakeup();
  let latest = 0;
  const round = options.wakes.join((seq) => {
    latest = Math.max(latest, seq);
    wakeup.notify();
  });
  const { stats, remove } = options.registry.add(subscriber, viewer.id, scope);

  /**
   * Sends every event after the position that the viewer may see, up to the log's end, page by page. `needed`
   * is the newest seq known to have committed: the pages read must include it.
   */
  async function* catchUp(needed: number): AsyncGenerator<Envelope, void, void> {
    while (!signal.aborted) {
      const page = await options.log.page(orm, stats.position, scope, settings.pageSize, needed);
      const events: LiveEvent[] = [];
      for (const row of page) {
        if (row.seq <= stats.position) continue; // never twice, never backwards
        const event = eventFor(viewer, row);
        if (event) events.push(event);
        stats.position = row.seq;
      }
      stats.pending = events.length;
      // What the page holds for this viewer goes in as few frames as the frame size allows (see LiveBatch).
      for (const frame of framesOf(events, settings.frameBytes)) {
        if (!subscriber.hasRoom()) await subscriber.room();
        if (signal.aborted) return;
        stats.pending -= frame.length;
        stats.sent += frame.length;
        const last = frame[frame.length - 1] as LiveEvent;
        yield tracked(String(last.seq), frame.length === 1 ? last : { kind: 'batch', events: frame });
      }
      if (page.length < settings.pageSize) return;
    }
  }

  try {
    const end = await maxSeq(orm);
    stats.position = Math.min(options.lastEventId ?? end, end);
    yield* catchUp(end);
    // The replay read the log to its end, which was at least `end`; rows of other clients only moved it on.
    stats.position = Math.max(stats.position, end);
    await subscriber.room();
    yield tracked(String(stats.position), { kind: 'head', seq: stats.position });

    while (!signal.aborted) {
      if (latest > stats.position) {
        const target = latest;
        // The session check and the read of the first page run together: the check need only come before a send,
        // and catchUp's read of that page is the shared one started here.
        const [user] = await Promise.all([
          subscriber.user(),
          options.log.page(orm, stats.position, scope, settings.pageSize, target),
        ]);
        viewer = viewerOf(user);
        yield* catchUp(target);
        // Everything up to `target` had committed before the bus told us, so the read above saw all of it.
        stats.position = Math.max(stats.position, target);
      } else {
        round.done();
        if (!(await wakeup.wait(settings.sessionCheckMs, signal)) && !signal.aborted) {
          viewer = viewerOf(await subscriber.user());
        }
      }
    }
  } finally {
    round.leave();
    remove();
  }
}

import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { TRPCError, type TrackedEnvelope, tracked } from '@trpc/server';
import { eventsIn } from '../../shared/live';
import { ClientEvent } from '../activity/entity';
import { eventFor, type LiveEvent, type LiveHead, type LiveMessage, type LoggedEvent, type Viewer } from './events';
import type { LogReader } from './log-reader';
import { type Subscriber, Wakeup } from './subscriber';
import { type SubscriptionAddress, serializedBytes, tellAddress, trackedMessage } from './transformer';
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

/** What a page holds for a viewer from a position on: its frames, and the position after it. */
interface Cut {
  envelopes: Envelope[];
  events: number;
  position: number;
}

/**
 * `page` after `position` as `viewer` may see it, in frames. Staff see a row alike whoever they are (events.ts),
 * so the streams of one role woken by the same save, at the same position, share one cut of the page they share
 * (log-reader.ts): the rows are filtered and framed once per role, not once per subscriber, and the frames,
 * being the same objects, are encoded once (transformer.ts). A portal user's cut is its own.
 */
function cutOf(page: LoggedEvent[], position: number, viewer: Viewer, frameBytes: number): Cut {
  const shared = viewer.role !== 'client';
  const key = `${viewer.role}/${position}/${frameBytes}`;
  const known = shared ? cuts.get(page)?.get(key) : undefined;
  if (known) return known;
  const events: LiveEvent[] = [];
  let after = position;
  for (const row of page) {
    if (row.seq <= after) continue; // never twice, never backwards
    const event = eventFor(viewer, row);
    if (event) events.push(event);
    after = row.seq;
  }
  // What the page holds for this viewer goes in as few frames as the frame size allows (see LiveBatch).
  const envelopes = framesOf(events, frameBytes).map((frame) => {
    const last = frame[frame.length - 1] as LiveEvent;
    return tracked(String(last.seq), frame.length === 1 ? last : { kind: 'batch' as const, events: frame });
  });
  const cut = { envelopes, events: events.length, position: after };
  if (shared) {
    let ofPage = cuts.get(page);
    if (!ofPage) {
      ofPage = new Map();
      cuts.set(page, ofPage);
    }
    ofPage.set(key, cut);
  }
  return cut;
}

/** The cuts made of each page, while the page is still in use; shared, so never changed. */
const cuts = new WeakMap<LoggedEvent[], Map<string, Cut>>();

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
 * page by page; sends a head marker; then, on every wake-up, reads what the log holds beyond its position and
 * writes it to the socket itself (tRPC's message, without tRPC's per-message work). The bus only says "the log
 * grew", so a missed or late wake-up costs nothing: the log is read by position, never by the seq the bus
 * carried, which also fills any gap. Seq order and no duplicates follow from reading strictly after the position, which only grows.
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
  /** Told of each message sent live to the socket directly rather than yielded. */
  sentDirectly?: (message: LiveMessage) => void;
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
  /** The newest seq the bus announced. */
  let latest = 0;
  /**
   * Who sends next: the loop below (replay, catching up, a full socket, a session to re-check), or, once live and
   * caught up, `deliverNow` straight from the wake-up ('idle' until one comes, 'now' while it delivers).
   */
  let turn: 'loop' | 'idle' | 'now' = 'loop';
  let ended = false;
  const round = options.wakes.join((seq) => {
    latest = Math.max(latest, seq);
    if (turn === 'idle') deliverNow(seq);
    else if (turn === 'loop') wakeup.notify();
  });
  const { stats, remove } = options.registry.add(subscriber, viewer.id, scope);

  /** The events of `page` after the position that the viewer may see, in frames; the position moves past the page. */
  function envelopesOf(page: LoggedEvent[]): Envelope[] {
    const cut = cutOf(page, stats.position, viewer, settings.frameBytes);
    stats.position = cut.position;
    stats.pending = cut.events;
    return cut.envelopes;
  }

  function counted(envelope: Envelope): Envelope {
    const count = eventsIn(envelope[1]).length;
    stats.pending -= count;
    stats.sent += count;
    return envelope;
  }

  /**
   * Sends every event after the position that the viewer may see, up to the log's end, page by page. `needed`
   * is the newest seq known to have committed: the pages read must include it.
   */
  async function* catchUp(needed: number): AsyncGenerator<Envelope, void, void> {
    while (!signal.aborted) {
      const page = await options.log.page(orm, stats.position, scope, settings.pageSize, needed);
      for (const envelope of envelopesOf(page)) {
        if (!subscriber.hasRoom()) await subscriber.room();
        if (signal.aborted) return;
        yield counted(envelope);
      }
      if (page.length < settings.pageSize) return;
    }
  }

  let address: SubscriptionAddress | null = null;
  /** Writes a frame to the socket as tRPC would have sent it had it been yielded (see below); false before live. */
  function sendDirectly(envelope: Envelope): boolean {
    if (!address) return false;
    subscriber.send(trackedMessage(address, envelope[0], envelope[1]));
    options.sentDirectly?.(envelope[1]);
    return true;
  }

  /**
   * A wake-up of a live, caught-up stream, handled in one step once the shared session lookup and log read are
   * in: no loop turn, no generator, no timer per subscriber, a thousand subscribers per save. Anything
   * unusual (the session ended, the socket is full, more than a page to send, a failed read) goes back to the
   * loop, which deals with it as always.
   */
  function deliverNow(target: number): void {
    turn = 'now';
    const read = options.log.page(orm, stats.position, scope, settings.pageSize, target);
    Promise.all([subscriber.sessionUser(), read]).then(
      ([user, page]) => {
        if (ended || signal.aborted) return;
        if (!user) return backToLoop();
        viewer = viewerOf(user);
        const from = stats.position;
        const envelopes = envelopesOf(page);
        for (const [index, envelope] of envelopes.entries()) {
          if (!subscriber.hasRoom()) {
            // The rest stays in the log: the loop reads it again after the last frame sent, once the socket drains.
            stats.position = index === 0 ? from : Number(envelopes[index - 1]?.[0]);
            stats.pending = 0;
            return backToLoop();
          }
          sendDirectly(counted(envelope));
        }
        if (page.length < settings.pageSize) stats.position = Math.max(stats.position, target);
        if (latest <= stats.position) {
          turn = 'idle';
          round.done();
        } else if (page.length < settings.pageSize) deliverNow(latest);
        else backToLoop();
      },
      () => backToLoop(),
    );
  }

  function backToLoop(): void {
    turn = 'loop';
    wakeup.notify();
  }

  try {
    const end = await maxSeq(orm);
    stats.position = Math.min(options.lastEventId ?? end, end);
    yield* catchUp(end);
    // The replay read the log to its end, which was at least `end`; rows of other clients only moved it on.
    stats.position = Math.max(stats.position, end);
    await subscriber.room();
    /**
     * Once live, frames go straight to the socket as tRPC would send them: tRPC's handling of each yielded value
     * (its race with the abort, the response's transform) cost as much as the rest of a delivery, a thousand
     * times per save. Sending the head tells the stream its subscription's address; without one (another
     * encoder than wsEncoder), frames are yielded as before.
     */
    const head = tellAddress<LiveHead>({ kind: 'head', seq: stats.position }, (found) => {
      address = found;
    });
    yield tracked(String(stats.position), head);

    while (!signal.aborted) {
      if (turn === 'loop' && latest > stats.position) {
        const target = latest;
        // The session check and the read of the first page run together: the check need only come before a send,
        // and catchUp's read of that page is the shared one started here.
        const [user] = await Promise.all([
          subscriber.user(),
          options.log.page(orm, stats.position, scope, settings.pageSize, target),
        ]);
        viewer = viewerOf(user);
        for await (const envelope of catchUp(target)) if (!sendDirectly(envelope)) yield envelope;
        // Everything up to `target` had committed before the bus told us, so the read above saw all of it.
        stats.position = Math.max(stats.position, target);
        continue;
      }
      if (turn === 'loop') {
        round.done();
        if (address) turn = 'idle';
      }
      if (!(await wakeup.wait(settings.sessionCheckMs, signal)) && !signal.aborted) {
        viewer = viewerOf(await subscriber.user());
      }
    }
  } finally {
    ended = true;
    round.leave();
    remove();
  }
}

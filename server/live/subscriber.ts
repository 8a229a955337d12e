import type { MikroORM } from '@mikro-orm/core';
import { TRPCError } from '@trpc/server';
import { sessionChecksOf } from '../auth/session-checks';
import { hashToken } from '../auth/session-sockets';
import type { SessionUser } from '../auth/sessions';

/** The part of a `ws` WebSocket a subscription uses: how much it has queued but not yet sent, and sending. */
export interface OutgoingSocket {
  readonly bufferedAmount: number;
  send(message: string | Buffer, options?: { binary: boolean }): void;
}

export interface SubscriberLimits {
  /** Above this many bytes queued on the socket, a subscription waits before sending more. */
  highWaterBytes: number;
  /** How long a socket may stay above high water before the subscription is cut off as too far behind. */
  stallMs: number;
}

export const TOO_FAR_BEHIND = 'Too far behind; resume from the last event id.';

/** Resolves after `ms`, or at once when `signal` aborts; `true` when it was aborted. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (aborted: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(aborted);
    };
    const onAbort = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    signal.addEventListener('abort', onAbort);
  });
}

/**
 * A wake-up call: `notify` from a listener, `wait` in the subscription until notified, timed out or aborted.
 * One save notifies every subscription, so a notify only resolves a promise: no AbortController (aborting one
 * builds a DOMException with a stack trace, which was most of the cost of a wake-up across a thousand).
 */
export class Wakeup {
  private waiting: (() => void) | null = null;
  private pending = false;

  notify(): void {
    this.pending = true;
    this.waiting?.();
  }

  /** Resolves when notified (now or since the last wait): `true`; after `timeoutMs` or an abort: `false`. */
  async wait(timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    if (!this.pending && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          this.waiting = null;
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal.addEventListener('abort', done);
        this.waiting = done;
      });
    }
    const notified = this.pending;
    this.pending = false;
    return notified;
  }
}

const DRAIN_POLL_MS = 25;

/**
 * One live subscription's hold on its connection, shared by the event stream and presence: it re-reads the
 * session (a WebSocket is authenticated once but lives for hours), and it keeps the socket's send queue
 * bounded. tRPC's WebSocket adapter sends each yielded value at once, without back-pressure, so a consumer that
 * does not read makes `ws` queue without limit; instead, the subscription waits for the queue to drain before
 * yielding more (its data stays in the log meanwhile), and gives up with a clear error when it does not drain.
 */
export class Subscriber {
  /** The most bytes seen queued on the socket before a send: what this subscription let the server hold. */
  peakBufferedBytes = 0;
  /** Hashed once: the session is checked at every wake-up, a thousand subscriptions at a time. */
  private readonly tokenHash: string | undefined;

  constructor(
    private readonly orm: MikroORM,
    token: string | undefined,
    private readonly socket: OutgoingSocket | null,
    private readonly limits: SubscriberLimits,
    readonly signal: AbortSignal,
  ) {
    this.tokenHash = token ? hashToken(token) : undefined;
  }

  get bufferedBytes(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  /**
   * The signed-in user as the session says now; UNAUTHORIZED once it has ended or the user was deactivated.
   * Read with the other subscriptions' checks of the same moment, in one lookup.
   */
  async user(): Promise<SessionUser> {
    const user = await this.sessionUser();
    if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session has ended; sign in again.' });
    return user;
  }

  /** The signed-in user as the session says now, or null once it has ended. */
  sessionUser(): Promise<SessionUser | null> {
    return this.tokenHash ? sessionChecksOf(this.orm).user(this.tokenHash) : Promise.resolve(null);
  }

  /**
   * Resolves when the socket has room for another message. Throws TOO_MANY_REQUESTS when it stayed full for
   * `stallMs`: the consumer is too slow, and resumes from the log when it subscribes again.
   */
  async room(): Promise<void> {
    if (this.hasRoom()) return;
    const deadline = Date.now() + this.limits.stallMs;
    while (this.bufferedBytes > this.limits.highWaterBytes) {
      if (Date.now() >= deadline) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: TOO_FAR_BEHIND });
      if (await pause(DRAIN_POLL_MS, this.signal)) return;
      this.observe();
    }
  }

  /** Writes a message to the socket (see stream.ts for when a subscription does so itself). */
  send(message: string | Buffer): void {
    // A text frame even when given as bytes: tRPC's client reads text.
    this.socket?.send(message, { binary: false });
  }

  /** True when the socket's queue is below high water: a send may go without waiting (the usual case). */
  hasRoom(): boolean {
    this.observe();
    return this.bufferedBytes <= this.limits.highWaterBytes;
  }

  private observe(): void {
    this.peakBufferedBytes = Math.max(this.peakBufferedBytes, this.bufferedBytes);
  }
}

/**
 * The subscriber for a subscription call. Live data runs only over the WebSocket, where the send queue can be
 * watched; over HTTP (server-sent events) nothing would bound it.
 */
export function subscriberFor(
  ctx: {
    transport: 'http' | 'ws';
    socket: OutgoingSocket | null;
    orm: MikroORM;
    sessionToken: string | undefined;
    realtime: { settings: SubscriberLimits };
  },
  signal: AbortSignal | undefined,
): Subscriber {
  if (ctx.transport !== 'ws' || !ctx.socket || !signal) {
    throw new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: 'Live updates run over the WebSocket at /trpc.' });
  }
  return new Subscriber(ctx.orm, ctx.sessionToken, ctx.socket, ctx.realtime.settings, signal);
}

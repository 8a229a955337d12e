import { createHash } from 'node:crypto';

/** The part of a `ws` WebSocket this registry needs. */
export interface ClosableSocket {
  close(code: number, reason: string): void;
  once(event: 'close', listener: () => void): unknown;
}

interface TrackedSocket {
  userId: number;
  tokenHash: string;
  socket: ClosableSocket;
}

/** Sessions are stored, compared and tracked by the SHA-256 of their token, never by the token itself. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// 4000-4999 are for applications; the browser treats the close like any other and reconnects, which the
// upgrade then refuses with 401.
const SESSION_ENDED = 4401;

/**
 * The open WebSockets of every session, so ending a session (sign-out, sign out everywhere, deactivation, portal
 * access turned off) also closes its sockets. Not at once: every call over a socket re-reads its session, and
 * every live subscription re-reads it before each batch of events and at least every `sessionCheckMs`, so no
 * further data reaches an ended session either way; closing first would make the browser retry the connection
 * silently, while letting the subscriptions end tells it, with UNAUTHORIZED, to go to the sign-in page. So the
 * socket is closed once that check has had its time (`graceMs`).
 */
export class SessionSockets {
  private readonly open = new Set<TrackedSocket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly graceMs: number) {}

  track(userId: number, token: string, socket: ClosableSocket): void {
    const entry = { userId, tokenHash: hashToken(token), socket };
    this.open.add(entry);
    socket.once('close', () => this.open.delete(entry));
  }

  /** How many sockets are open, for one user or for everybody. */
  count(userId?: number): number {
    return [...this.open].filter((entry) => userId === undefined || entry.userId === userId).length;
  }

  /** Closes (after the grace period) the sockets of one session, or of every session of a user. */
  sessionsEnded(which: { tokenHash: string } | { userId: number }): void {
    const ended = [...this.open].filter((entry) =>
      'userId' in which ? entry.userId === which.userId : entry.tokenHash === which.tokenHash,
    );
    if (ended.length === 0) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      for (const { socket } of ended) socket.close(SESSION_ENDED, 'Your session has ended; sign in again.');
    }, this.graceMs);
    this.timers.add(timer);
  }

  /** Stops the pending closes (the app is shutting down and closes every socket itself). */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

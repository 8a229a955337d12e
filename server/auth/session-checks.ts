import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { type Deferred, deferred } from '../db/deferred';
import { noteRequestUser } from '../ops/log';
import { hashToken } from './session-sockets';
import { type SessionUser, usersForTokenHashes } from './sessions';

type Waiting = Map<string, Deferred<SessionUser | null>>;

/**
 * At most this many sessions per lookup: the subscriptions woken by one save get their answers in parts, and the
 * first part's subscribers send while the database reads the next part (on its own thread).
 */
const CHECKS_PER_LOOKUP = 100;

/**
 * Reads the sessions asked for at the same moment in one lookup: the HTTP requests arriving together, and above
 * all the live subscriptions. One save wakes every subscription, and each re-reads its session before it sends
 * anything (so a sign-out, a deactivation or a role change applies to the very next event); one at a time, that
 * was two or three queries per subscriber per save, all queued on SQLite's one connection. Here the checks asked
 * for in the same turn of the event loop become one lookup per CHECKS_PER_LOOKUP sessions.
 *
 * Nothing is cached: a check joins only a lookup that has not started yet, so its answer is read from the
 * database after it was asked for, exactly as fresh as a lookup of its own.
 */
export class SessionChecks {
  /** The part being filled now: the last of the parts not yet looked up. */
  private waiting: Waiting | null = null;
  /** Every check not yet looked up, whichever part holds it: a session asked twice (two tabs) is read once. */
  private readonly queued: Waiting = new Map();

  constructor(private readonly orm: MikroORM) {}

  /**
   * The user as the session says now, or null when it has ended or the user may no longer sign in; by the
   * token's hash (`hashToken`).
   */
  user(tokenHash: string): Promise<SessionUser | null> {
    const queued = this.queued.get(tokenHash);
    if (queued) return queued.promise;
    if (!this.waiting || this.waiting.size >= CHECKS_PER_LOOKUP) {
      const batch: Waiting = new Map();
      this.waiting = batch;
      setImmediate(() => {
        if (this.waiting === batch) this.waiting = null;
        for (const hash of batch.keys()) this.queued.delete(hash);
        void this.lookUp(batch);
      });
    }
    const entry = deferred<SessionUser | null>();
    this.waiting.set(tokenHash, entry);
    this.queued.set(tokenHash, entry);
    return entry.promise;
  }

  /** The user behind a request's session cookie, as `userForToken` answers it. */
  async requestUser(token: string | undefined): Promise<SessionUser | null> {
    const user = token ? await this.user(hashToken(token)) : null;
    // Back in the request's own async context here, whichever request's turn ran the lookup.
    if (user) noteRequestUser(user.id);
    return user;
  }

  private async lookUp(batch: Waiting): Promise<void> {
    const hashes = [...batch.keys()];
    try {
      const users = await usersForTokenHashes(this.orm.em.fork() as EntityManager, hashes);
      for (const [index, hash] of hashes.entries()) batch.get(hash)?.resolve(users[index] ?? null);
    } catch (error) {
      for (const entry of batch.values()) entry.reject(error);
    }
  }
}

const checksByOrm = new WeakMap<MikroORM, SessionChecks>();

/** The app's one SessionChecks (its requests and subscriptions share its ORM). */
export function sessionChecksOf(orm: MikroORM): SessionChecks {
  let checks = checksByOrm.get(orm);
  if (!checks) {
    checks = new SessionChecks(orm);
    checksByOrm.set(orm, checks);
  }
  return checks;
}

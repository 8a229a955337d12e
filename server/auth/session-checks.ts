import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { OneTurnLookups } from '../db/one-turn-lookups';
import { noteRequestUser } from '../ops/log';
import { hashToken } from './session-sockets';
import { type SessionUser, usersForTokenHashes } from './sessions';

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
 * for in the same turn of the event loop become one lookup per CHECKS_PER_LOOKUP sessions, as fresh as a lookup
 * of their own (OneTurnLookups caches nothing).
 */
export class SessionChecks {
  private readonly lookups: OneTurnLookups<string, SessionUser | null>;

  constructor(orm: MikroORM) {
    this.lookups = new OneTurnLookups(CHECKS_PER_LOOKUP, (hashes) =>
      usersForTokenHashes(orm.em.fork() as EntityManager, hashes),
    );
  }

  /**
   * The user as the session says now, or null when it has ended or the user may no longer sign in; by the
   * token's hash (`hashToken`).
   */
  user(tokenHash: string): Promise<SessionUser | null> {
    return this.lookups.get(tokenHash);
  }

  /** The user behind a request's session cookie, as `userForToken` answers it. */
  async requestUser(token: string | undefined): Promise<SessionUser | null> {
    const user = token ? await this.user(hashToken(token)) : null;
    // Back in the request's own async context here, whichever request's turn ran the lookup.
    if (user) noteRequestUser(user.id);
    return user;
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

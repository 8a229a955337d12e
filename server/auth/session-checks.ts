import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { OneTurnLookups } from '../db/one-turn-lookups';
import { noteRequestUser } from '../ops/log';
import { accountsOf } from './accounts';
import { hashToken } from './session-sockets';
import { readSessionStateVersion } from './session-state';
import { type CheckedSession, checkSessions, type SessionUser, sessionTimedOut, touchAfterMs } from './sessions';

/**
 * At most this many sessions per lookup: the subscriptions woken by one save get their answers in parts, and the
 * first part's subscribers send while the database reads the next part (on its own thread).
 */
const CHECKS_PER_LOOKUP = 100;
/** Sessions kept as checked, at most; beyond, the least recently read are forgotten (and read again when asked). */
const KEPT_CHECKS = 10_000;

/**
 * Answers "who is this session now?" for every request and, above all, for every live subscription: one save wakes
 * every subscription, and each re-checks its session before it sends anything, so a sign-out, a deactivation or a
 * role change applies to the very next event. Two things keep that cheap at a thousand subscriptions:
 * - Checks asked in the same turn of the event loop go together: one lookup per CHECKS_PER_LOOKUP sessions, or one
 *   read of session_state's version (OneTurnLookups: a check joins only a read not started yet, never an older one).
 * - A session read at some version of session_state, which database triggers move on with every change that can
 *   end a session or change its user (server/auth/session-state.ts), is known unchanged while the version is the
 *   same: then a check costs that one shared read of the version, not a read of the session. Times are checked here
 *   (its absolute and idle limits); it is read again when it is due to have its last use recorded.
 */
export class SessionChecks {
  private readonly lookups: OneTurnLookups<string, SessionUser | null>;
  private readonly versions: OneTurnLookups<'now', number | null>;
  /** The sessions found signed in, by token hash, with the version they were read at; least recently read first. */
  private readonly checked = new Map<string, { session: CheckedSession; version: number }>();

  constructor(private readonly orm: MikroORM) {
    this.lookups = new OneTurnLookups(CHECKS_PER_LOOKUP, async (hashes) => {
      const { version, sessions } = await checkSessions(orm.em.fork() as EntityManager, hashes);
      return hashes.map((hash, index) => this.remember(hash, sessions[index] ?? null, version));
    });
    this.versions = new OneTurnLookups(1, async () => [await readSessionStateVersion(orm.em.getConnection())]);
  }

  /**
   * The user as the session says now, or null when it has ended or the user may no longer sign in; by the
   * token's hash (`hashToken`).
   */
  user(tokenHash: string): Promise<SessionUser | null> {
    const known = this.checked.get(tokenHash);
    if (!known || !this.stillCurrent(known.session)) return this.lookups.get(tokenHash);
    return this.versions
      .get('now')
      .then((version) => (version === known.version ? known.session.user : this.lookups.get(tokenHash)));
  }

  /** The user behind a request's session cookie, as `userForToken` answers it. */
  async requestUser(token: string | undefined): Promise<SessionUser | null> {
    const user = token ? await this.user(hashToken(token)) : null;
    // Back in the request's own async context here, whichever request's turn ran the lookup.
    if (user) noteRequestUser(user.id);
    return user;
  }

  /** Whether a session read earlier is, by its times, still signed in and not yet due to be touched. */
  private stillCurrent(session: CheckedSession): boolean {
    const { idleMs } = accountsOf(this.orm.em as EntityManager).sessions;
    const now = Date.now();
    return !sessionTimedOut(session, idleMs, now) && now - session.lastSeenAt <= touchAfterMs(idleMs);
  }

  private remember(tokenHash: string, session: CheckedSession | null, version: number | null): SessionUser | null {
    this.checked.delete(tokenHash);
    if (session && version !== null) {
      this.checked.set(tokenHash, { session, version });
      const oldest = this.checked.keys().next();
      if (this.checked.size > KEPT_CHECKS && !oldest.done) this.checked.delete(oldest.value);
    }
    return session?.user ?? null;
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

import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/knex';
import type { Role } from '../../shared/enums';
import { Client } from '../clients/entity';
import { dateOf, placeholders, runSql, truthy } from '../db/sql';
import { noteRequestUser } from '../ops/log';
import { accountsOf } from './accounts';
import { Session } from './entity';
import { hashToken } from './session-sockets';
import { SESSION_STATE_VERSION_SQL } from './session-state';

export const SESSION_COOKIE = 'kartoteka_session';

/** The signed-in user as the API shows it. */
export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  clientId: number | null;
}

/**
 * A portal account works only while its client allows sign-in and is not deleted: turning "Login allowed" off
 * refuses the next sign-in and ends the sessions already open. Staff accounts have no client.
 */
export async function portalAccessAllowed(em: EntityManager, user: { clientId?: number | null }): Promise<boolean> {
  if (!user.clientId) return true;
  return (await clientsAllowingSignIn(em, [user.clientId])).has(user.clientId);
}

/** Which of these clients allow their portal accounts to sign in (login allowed, not deleted). */
async function clientsAllowingSignIn(em: EntityManager, clientIds: number[]): Promise<Set<number>> {
  if (clientIds.length === 0) return new Set();
  const clients = await em.find(Client, { id: { $in: clientIds } }, { fields: ['id', 'loginAllowed', 'deletedAt'] });
  return new Set(clients.filter((client) => client.loginAllowed && !client.deletedAt).map((client) => client.id));
}

export async function startSession(em: EntityManager, userId: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const { absoluteMs, idleMs } = accountsOf(em).sessions;
  const now = Date.now();
  // The user's sessions that ran out and were never used again would otherwise stay in the table for good.
  await em.nativeDelete(Session, {
    userId,
    $or: [{ expiresAt: { $lte: new Date(now) } }, { lastSeenAt: { $lte: new Date(now - idleMs) } }],
  });
  const expiresAt = new Date(now + absoluteMs);
  em.create(Session, {
    tokenHash: hashToken(token),
    userId,
    expiresAt,
    createdAt: new Date(now),
    lastSeenAt: new Date(now),
  });
  await em.flush();
  return { token, expiresAt };
}

/** The user behind a cookie's token, or null when it is unknown, expired, idle too long or the user is inactive. */
export async function userForToken(em: EntityManager, token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const user = (await checkSessions(em, [hashToken(token)])).sessions[0]?.user ?? null;
  if (user) noteRequestUser(user.id);
  return user;
}

// Well under every database's limit on bound parameters (SQLite's is 32,766, PostgreSQL's 65,535).
const TOKENS_PER_QUERY = 500;

interface SessionRow {
  id: number;
  token_hash: string;
  user_id: number;
  last_seen_at: unknown;
  expires_at: unknown;
  email: string;
  name: string;
  role: Role;
  active: unknown;
  client_id: number | null;
  login_allowed: unknown;
  deleted_at: unknown;
  state_version: number | string | null;
}

/**
 * The sessions with these token hashes, each with its user and, for a portal account, its client's sign-in state;
 * with session_state's version read in the same statement, so the rows are exactly as of that version.
 */
function sessionRows(em: EntityManager, hashes: string[]): Promise<SessionRow[]> {
  return runSql<SessionRow>(em, {
    sql: `select s.id, s.token_hash, s.user_id, s.last_seen_at, s.expires_at, u.email, u.name, u.role, u.active,
        u.client_id, c.login_allowed, c.deleted_at, (${SESSION_STATE_VERSION_SQL}) as state_version
      from session s join app_user u on u.id = s.user_id left join client c on c.id = u.client_id
      where s.token_hash in (${placeholders(hashes.length)})`,
    params: hashes,
  });
}

/** A session found signed in, with the times that decide how long that holds without another look. */
export interface CheckedSession {
  user: SessionUser;
  expiresAt: number;
  lastSeenAt: number;
}

export interface SessionsChecked {
  /** session_state's version the sessions were read at; null if the database has none. */
  version: number | null;
  /** By the hashes asked, in their order: null for a session that has ended or whose user may not sign in. */
  sessions: (CheckedSession | null)[];
}

/** When a session in use has its last_seen_at moved on: touching it at every request would make every read a write. */
export function touchAfterMs(idleMs: number): number {
  // A quarter of the idle limit is precise enough (at most a minute).
  return Math.min(60_000, idleMs / 4);
}

/** Whether a session has ended by its times alone (its absolute limit, or the idle limit since it was last used). */
export function sessionTimedOut(session: { expiresAt: number; lastSeenAt: number }, idleMs: number, now: number) {
  return session.expiresAt <= now || session.lastSeenAt + idleMs <= now;
}

/**
 * `userForToken` for many tokens at once, by their hashes (`hashToken`: a live subscription hashes its token once,
 * not at every check), in their order, with the same rules. Every request and every live wake-up asks this, so it
 * is one plain query however many tokens (an ORM find costs a millisecond of CPU each).
 */
export async function checkSessions(em: EntityManager, tokenHashes: readonly string[]): Promise<SessionsChecked> {
  const hashes = [...new Set(tokenHashes)];
  const rows: SessionRow[] = [];
  for (let start = 0; start < hashes.length; start += TOKENS_PER_QUERY) {
    rows.push(...(await sessionRows(em, hashes.slice(start, start + TOKENS_PER_QUERY))));
  }
  const now = Date.now();
  const { idleMs } = accountsOf(em).sessions;
  const read = rows.map((row) => ({
    row,
    expiresAt: dateOf(row.expires_at).getTime(),
    lastSeenAt: dateOf(row.last_seen_at).getTime(),
  }));
  const expired = read.filter((session) => sessionTimedOut(session, idleMs, now));
  if (expired.length > 0) await em.nativeDelete(Session, { id: { $in: expired.map(({ row }) => row.id) } });
  // A portal account works only while its client allows sign-in and is not deleted.
  const signedIn = read.filter(
    (session) =>
      !sessionTimedOut(session, idleMs, now) &&
      truthy(session.row.active) &&
      (session.row.client_id === null || (truthy(session.row.login_allowed) && session.row.deleted_at === null)),
  );
  const stale = signedIn.filter((session) => now - session.lastSeenAt > touchAfterMs(idleMs));
  if (stale.length > 0) {
    await em.nativeUpdate(Session, { id: { $in: stale.map(({ row }) => row.id) } }, { lastSeenAt: new Date(now) });
    for (const session of stale) session.lastSeenAt = now;
  }

  const byHash = new Map(
    signedIn.map(({ row, expiresAt, lastSeenAt }) => [
      row.token_hash,
      { user: sessionUserOf(row), expiresAt, lastSeenAt },
    ]),
  );
  // The first statement's version, the oldest if there were several: a session read later is only taken for older
  // than it is, and read again sooner.
  const version = rows[0]?.state_version;
  return {
    version: version === null || version === undefined ? null : Number(version),
    sessions: tokenHashes.map((hash) => byHash.get(hash) ?? null),
  };
}

function sessionUserOf(row: SessionRow): SessionUser {
  return { id: Number(row.user_id), email: row.email, name: row.name, role: row.role, clientId: row.client_id };
}

/** Ends one session; its open WebSockets close too (see SessionSockets). */
export async function endSession(em: EntityManager, token: string | undefined): Promise<void> {
  if (!token) return;
  const tokenHash = hashToken(token);
  await em.nativeDelete(Session, { tokenHash });
  accountsOf(em).sockets?.sessionsEnded({ tokenHash });
}

/**
 * Ends every session of a user (sign out everywhere, deactivation, a new password, portal access turned off),
 * with their WebSockets. Inside a transaction, call `closeSocketsOf` after it commits instead of relying on this.
 */
export async function endAllSessions(em: EntityManager, userId: number): Promise<void> {
  await em.nativeDelete(Session, { userId });
  closeSocketsOf(em, userId);
}

export function closeSocketsOf(em: EntityManager, userId: number): void {
  accountsOf(em).sockets?.sessionsEnded({ userId });
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${expiresAt.toUTCString()}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;
}

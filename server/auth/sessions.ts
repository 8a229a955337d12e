import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/knex';
import type { Role } from '../../shared/enums';
import { Client } from '../clients/entity';
import { noteRequestUser } from '../ops/log';
import { User, type UserEntity } from '../users/entity';
import { accountsOf } from './accounts';
import { Session, type SessionEntity } from './entity';
import { hashToken } from './session-sockets';

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
  const [user] = await usersForTokens(em, [token]);
  if (user) noteRequestUser(user.id);
  return user ?? null;
}

// Well under every database's limit on bound parameters (SQLite's is 32,766, PostgreSQL's 65,535).
const TOKENS_PER_QUERY = 500;

/**
 * `userForToken` for many tokens at once, in their order, with the same rules: a few queries however many
 * tokens (the sessions, their users, the portal users' clients), where one at a time would take two or three each.
 */
export async function usersForTokens(em: EntityManager, tokens: readonly string[]): Promise<(SessionUser | null)[]> {
  const tokenHashes = tokens.map(hashToken);
  const hashes = [...new Set(tokenHashes)];
  const sessions: SessionEntity[] = [];
  for (let start = 0; start < hashes.length; start += TOKENS_PER_QUERY) {
    sessions.push(...(await em.find(Session, { tokenHash: { $in: hashes.slice(start, start + TOKENS_PER_QUERY) } })));
  }
  const now = Date.now();
  const { idleMs } = accountsOf(em).sessions;
  const ended = (session: SessionEntity) =>
    session.expiresAt.getTime() <= now || session.lastSeenAt.getTime() + idleMs <= now;
  const expired = sessions.filter(ended).map((session) => session.id);
  const live = sessions.filter((session) => !ended(session));
  if (expired.length > 0) await em.nativeDelete(Session, { id: { $in: expired } });

  const userIds = [...new Set(live.map((session) => session.userId))];
  const users = userIds.length === 0 ? [] : await em.find(User, { id: { $in: userIds }, active: true });
  const allowedClients = await clientsAllowingSignIn(em, [
    ...new Set(users.flatMap((user) => (user.clientId ? [user.clientId] : []))),
  ]);
  const byUserId = new Map(
    users
      .filter((user) => !user.clientId || allowedClients.has(user.clientId))
      .map((user) => [user.id, toSessionUser(user)]),
  );
  // Touching lastSeenAt on every request would turn every read into a write; a quarter of the idle limit is
  // precise enough (at most a minute).
  const stale = live
    .filter((session) => now - session.lastSeenAt.getTime() > Math.min(60_000, idleMs / 4))
    .filter((session) => byUserId.has(session.userId))
    .map((session) => session.id);
  if (stale.length > 0) await em.nativeUpdate(Session, { id: { $in: stale } }, { lastSeenAt: new Date(now) });

  const userByHash = new Map(live.map((session) => [session.tokenHash, byUserId.get(session.userId) ?? null]));
  return tokenHashes.map((hash) => userByHash.get(hash) ?? null);
}

function toSessionUser(user: UserEntity): SessionUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role, clientId: user.clientId ?? null };
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

import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/knex';
import type { Role } from '../../shared/enums';
import { Client } from '../clients/entity';
import { User } from '../users/entity';
import { Session } from './entity';

export const SESSION_COOKIE = 'kartoteka_session';
const IDLE_LIMIT_MS = 7 * 24 * 3600_000;
const ABSOLUTE_LIMIT_MS = 30 * 24 * 3600_000;
// Touching lastSeenAt on every request would turn every read into a write.
const TOUCH_EVERY_MS = 60_000;

/** The signed-in user as the API shows it. */
export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  clientId: number | null;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A portal account works only while its client allows sign-in and is not deleted: turning "Login allowed" off
 * refuses the next sign-in and ends the sessions already open. Staff accounts have no client.
 */
export async function portalAccessAllowed(em: EntityManager, user: { clientId?: number | null }): Promise<boolean> {
  if (!user.clientId) return true;
  const client = await em.findOne(Client, user.clientId, { fields: ['id', 'loginAllowed', 'deletedAt'] });
  return Boolean(client?.loginAllowed && !client.deletedAt);
}

export async function startSession(em: EntityManager, userId: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ABSOLUTE_LIMIT_MS);
  em.create(Session, { tokenHash: hashToken(token), userId, expiresAt, createdAt: new Date(), lastSeenAt: new Date() });
  await em.flush();
  return { token, expiresAt };
}

/** The user behind a cookie's token, or null when it is unknown, expired, idle too long or the user is inactive. */
export async function userForToken(em: EntityManager, token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const session = await em.findOne(Session, { tokenHash: hashToken(token) });
  if (!session) return null;
  const now = Date.now();
  if (session.expiresAt.getTime() <= now || session.lastSeenAt.getTime() + IDLE_LIMIT_MS <= now) {
    await em.nativeDelete(Session, { id: session.id });
    return null;
  }
  const user = await em.findOne(User, { id: session.userId, active: true });
  if (!user || !(await portalAccessAllowed(em, user))) return null;
  if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await em.nativeUpdate(Session, { id: session.id }, { lastSeenAt: new Date(now) });
  }
  return { id: user.id, email: user.email, name: user.name, role: user.role, clientId: user.clientId ?? null };
}

export async function endSession(em: EntityManager, token: string | undefined): Promise<void> {
  if (token) await em.nativeDelete(Session, { tokenHash: hashToken(token) });
}

export async function endAllSessions(em: EntityManager, userId: number): Promise<void> {
  await em.nativeDelete(Session, { userId });
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

import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/knex';
import type { Locale } from '../../shared/locale';
import { audit } from '../audit/service';
import { ValidationError } from '../errors';
import { enqueueMail } from '../mail/outbox';
import { passwordLinkMail } from '../mail/templates';
import { User, type UserEntity } from '../users/entity';
import { accountsOf } from './accounts';
import { type PasswordLinkPurpose, PasswordToken } from './entity';
import { assertGoodPassword } from './password-policy';
import { hashPassword } from './passwords';
import { hashToken } from './session-sockets';
import { endAllSessions, portalAccessAllowed } from './sessions';

/** How a set-password link reached its person: e-mailed (SMTP is set up), or handed to the admin to pass on. */
export interface HandedOverLink {
  /** The link's path with its token (/set-password?token=…), for the admin to hand over; null when it was mailed. */
  path: string | null;
  mailedTo: string | null;
  expiresAt: Date;
}

export const LINK_NOT_VALID =
  'This link is not valid any more: it was used already, replaced by a newer one, or it expired. Ask for a new one.';

/**
 * Issues a one-time set-password link for `user`, replacing any unused one, and mails it when SMTP is configured
 * (through the outbox, so on `em` it commits with whatever created the account). Flushes `em`.
 */
export async function issuePasswordLink(
  em: EntityManager,
  user: Pick<UserEntity, 'id' | 'email' | 'name'>,
  purpose: PasswordLinkPurpose,
  locale: Locale,
): Promise<HandedOverLink> {
  const accounts = accountsOf(em);
  await revokePasswordLinks(em, user.id);
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + accounts.passwordLinkTtlMs);
  em.create(PasswordToken, { tokenHash: hashToken(token), userId: user.id, purpose, createdAt: now, expiresAt });
  const path = `/set-password?token=${token}`;
  if (accounts.mailConfigured) {
    const url = `${accounts.publicUrl()}${path}`;
    enqueueMail(em, { ...passwordLinkMail(locale, { name: user.name, url, expiresAt, purpose }), to: user.email });
  }
  await em.flush();
  return accounts.mailConfigured
    ? { path: null, mailedTo: user.email, expiresAt }
    : { path, mailedTo: null, expiresAt };
}

/** Every unused link of the user stops working. */
async function revokePasswordLinks(em: EntityManager, userId: number): Promise<void> {
  await em.nativeDelete(PasswordToken, { userId, usedAt: null });
}

/** The link's token row and its user, when the link still works; otherwise a field error on `token`. */
async function usableLink(em: EntityManager, token: string) {
  const link = await em.findOne(PasswordToken, { tokenHash: hashToken(token) });
  const user = link ? await em.findOne(User, link.userId) : null;
  const works =
    link &&
    user &&
    !link.usedAt &&
    link.expiresAt.getTime() > Date.now() &&
    user.active &&
    (await portalAccessAllowed(em, user));
  if (!works || !link || !user) throw ValidationError.of('token', LINK_NOT_VALID);
  return { link, user };
}

/** What the set-password page shows before the password is typed: whose account, and until when. */
export async function describePasswordLink(
  em: EntityManager,
  token: string,
): Promise<{ email: string; name: string; purpose: PasswordLinkPurpose; expiresAt: Date }> {
  const { link, user } = await usableLink(em, token);
  return { email: user.email, name: user.name, purpose: link.purpose, expiresAt: link.expiresAt };
}

/**
 * Sets the password through a link, once: the password is checked before the link is spent, the link is spent
 * by a conditional update (two requests racing with one link cannot both win), and every session the account had
 * ends, since whoever held the old password may have been signed in.
 */
export async function setPasswordWithLink(
  em: EntityManager,
  input: { token: string; password: string; address: string | null },
): Promise<{ email: string }> {
  assertGoodPassword(input.password);
  const { link, user } = await usableLink(em, input.token);
  const spent = await em.nativeUpdate(PasswordToken, { id: link.id, usedAt: null }, { usedAt: new Date() });
  if (spent !== 1) throw ValidationError.of('token', LINK_NOT_VALID);
  user.passwordHash = await hashPassword(input.password);
  await em.flush();
  await endAllSessions(em, user.id);
  await audit(em, {
    type: 'passwordSet',
    actor: { id: user.id, name: user.name },
    user,
    clientId: user.clientId ?? null,
    address: input.address,
  });
  return { email: user.email };
}

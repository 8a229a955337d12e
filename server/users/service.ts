import type { EntityManager } from '@mikro-orm/knex';
import type { Role } from '../../shared/enums';
import { audit } from '../audit/service';
import type { Actor } from '../auth/actor';
import { type HandedOverLink, issuePasswordLink } from '../auth/password-links';
import { assertGoodPassword } from '../auth/password-policy';
import { generatePassword, hashPassword, isPasswordSet, NO_PASSWORD } from '../auth/passwords';
import { endAllSessions } from '../auth/sessions';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { User, type UserEntity } from './entity';

export interface UserDto {
  id: number;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  /** False until the person has used the set-password link. */
  passwordSet: boolean;
  clientId: number | null;
  createdAt: Date;
}

export function toUserDto(user: UserEntity): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    active: user.active,
    passwordSet: isPasswordSet(user.passwordHash),
    clientId: user.clientId ?? null,
    createdAt: user.createdAt,
  };
}

/** Every account; portal accounts (role 'client') carry the id of their client. */
export async function listUsers(em: EntityManager): Promise<UserDto[]> {
  return (await em.find(User, {}, { orderBy: { name: 'asc', id: 'asc' } })).map(toUserDto);
}

/**
 * Creates an account on `em` (flushed), with the password given (checked against the password rules) or, without
 * one, with none until its set-password link is used. An e-mail belongs to one account only.
 */
export async function createUser(
  em: EntityManager,
  input: { email: string; name: string; role: Role; password?: string; clientId?: number | null },
): Promise<UserEntity> {
  const email = input.email.trim().toLowerCase();
  if (await em.findOne(User, { email }, { fields: ['id'] }))
    throw ValidationError.of('email', `A user with e-mail ${email} already exists.`);
  if (input.password !== undefined) assertGoodPassword(input.password);
  const user = em.create(User, {
    email,
    name: input.name.trim(),
    role: input.role,
    passwordHash: input.password === undefined ? NO_PASSWORD : await hashPassword(input.password),
    active: true,
    clientId: input.clientId ?? null,
    createdAt: new Date(),
  });
  await em.flush();
  return user;
}

/**
 * An administrator adds a staff member: with a password they set (to hand over themselves), or with a one-time
 * set-password link, e-mailed when SMTP is configured and otherwise answered for the admin to hand over.
 */
export async function inviteUser(
  em: EntityManager,
  actor: Actor,
  input: { email: string; name: string; role: Role; password?: string },
  address: string | null,
): Promise<UserDto & { link: HandedOverLink | null }> {
  return em.transactional(async (tx) => {
    const user = await createUser(tx, input);
    await audit(tx, {
      type: 'userCreated',
      actor,
      user,
      address,
      changes: { role: { before: null, after: user.role } },
    });
    // Staff accounts have no language of their own: the invitation speaks the API's language.
    const link = input.password === undefined ? await issuePasswordLink(tx, user, 'invite', 'en') : null;
    return { ...toUserDto(user), link };
  });
}

/**
 * Changes a staff member's role or turns the account off or on. Both take effect at once: every request (and
 * every call and live batch over an open WebSocket) reads the user again, so a new role applies to the next one;
 * a deactivation also ends every session (and so closes its WebSockets) and refuses sign-in.
 */
export async function updateUser(
  em: EntityManager,
  actor: Actor,
  input: { id: number; role?: Role; active?: boolean },
  address: string | null,
): Promise<UserDto> {
  const user = await em.findOne(User, input.id);
  if (!user) throw new NotFoundError(`User ${input.id} does not exist.`);
  if (user.role === 'client') {
    throw new ConflictError(
      "This is a client's portal account: turn it on or off with Login allowed on the client's card.",
    );
  }
  const losesAdmin = user.role === 'admin' && ((input.role && input.role !== 'admin') || input.active === false);
  if (losesAdmin && user.id === actor.id) throw new ConflictError('You cannot remove your own administrator access.');
  if (losesAdmin && (await em.count(User, { role: 'admin', active: true, id: { $ne: user.id } })) === 0) {
    throw new ConflictError('This is the last active administrator; make someone else an administrator first.');
  }
  const before = { role: user.role, active: user.active };
  if (input.role !== undefined) user.role = input.role;
  if (input.active !== undefined) user.active = input.active;
  await em.flush();
  if (before.active && !user.active) await endAllSessions(em, user.id);
  if (before.role !== user.role) {
    await audit(em, {
      type: 'roleChanged',
      actor,
      user,
      address,
      changes: { role: { before: before.role, after: user.role } },
    });
  }
  if (before.active !== user.active) {
    await audit(em, {
      type: user.active ? 'userReactivated' : 'userDeactivated',
      actor,
      user,
      address,
      changes: { active: { before: before.active, after: user.active } },
    });
  }
  return toUserDto(user);
}

/**
 * A new one-time set-password link for the account (older links stop working). The current password keeps
 * working until the link is used; using it ends every session.
 */
export async function resetPassword(
  em: EntityManager,
  actor: Actor,
  id: number,
  address: string | null,
): Promise<HandedOverLink> {
  return em.transactional(async (tx) => {
    const user = await tx.findOne(User, id);
    if (!user) throw new NotFoundError(`User ${id} does not exist.`);
    if (!user.active) throw new ConflictError(`${user.name}'s account is deactivated; reactivate it first.`);
    const link = await issuePasswordLink(tx, user, 'reset', 'en');
    await audit(tx, { type: 'passwordLinkIssued', actor, user, clientId: user.clientId ?? null, address });
    return link;
  });
}

/**
 * The first administrator, when there are no users: from ADMIN_EMAIL/ADMIN_PASSWORD, or with a random
 * password that is returned so start-up can print it once.
 */
export async function ensureFirstAdmin(
  em: EntityManager,
  settings: { adminEmail?: string; adminPassword?: string },
): Promise<{ email: string; generatedPassword?: string } | null> {
  if ((await em.count(User, {})) > 0) return null;
  const email = settings.adminEmail ?? 'admin@kartoteka.local';
  const generatedPassword = settings.adminPassword ? undefined : generatePassword();
  try {
    await createUser(em, {
      email,
      name: 'Administrator',
      role: 'admin',
      password: settings.adminPassword ?? generatedPassword ?? '',
    });
  } catch (error) {
    if (error instanceof ValidationError) throw new Error(`ADMIN_PASSWORD: ${error.message}`);
    throw error;
  }
  return { email, generatedPassword };
}

import type { EntityManager } from '@mikro-orm/knex';
import type { Role } from '../../shared/enums';
import { generatePassword, hashPassword } from '../auth/passwords';
import { endAllSessions } from '../auth/sessions';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { User, type UserEntity } from './entity';

export interface UserDto {
  id: number;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  clientId: number | null;
  createdAt: Date;
}

function toUserDto(user: UserEntity): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    active: user.active,
    clientId: user.clientId ?? null,
    createdAt: user.createdAt,
  };
}

export async function listUsers(em: EntityManager): Promise<UserDto[]> {
  return (await em.find(User, {}, { orderBy: { name: 'asc', id: 'asc' } })).map(toUserDto);
}

export async function createUser(
  em: EntityManager,
  input: { email: string; name: string; role: Role; password: string; clientId?: number | null },
): Promise<UserDto> {
  const email = input.email.trim().toLowerCase();
  if (await em.findOne(User, { email }))
    throw ValidationError.of('email', `A user with e-mail ${email} already exists.`);
  const user = em.create(User, {
    email,
    name: input.name.trim(),
    role: input.role,
    passwordHash: await hashPassword(input.password),
    active: true,
    clientId: input.clientId ?? null,
    createdAt: new Date(),
  });
  await em.flush();
  return toUserDto(user);
}

export async function updateUser(
  em: EntityManager,
  actorId: number,
  input: { id: number; role?: Role; active?: boolean },
): Promise<UserDto> {
  const user = await em.findOne(User, input.id);
  if (!user) throw new NotFoundError(`User ${input.id} does not exist.`);
  const losesAdmin = user.role === 'admin' && ((input.role && input.role !== 'admin') || input.active === false);
  if (losesAdmin && user.id === actorId) throw new ConflictError('You cannot remove your own administrator access.');
  if (losesAdmin && (await em.count(User, { role: 'admin', active: true, id: { $ne: user.id } })) === 0) {
    throw new ConflictError('This is the last active administrator; make someone else an administrator first.');
  }
  const roleChanged = input.role !== undefined && input.role !== user.role;
  if (input.role !== undefined) user.role = input.role;
  if (input.active !== undefined) user.active = input.active;
  await em.flush();
  // A changed role or a deactivation takes effect at once: the old sessions carried the old rights.
  if (roleChanged || input.active === false) await endAllSessions(em, user.id);
  return toUserDto(user);
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
  await createUser(em, {
    email,
    name: 'Administrator',
    role: 'admin',
    password: settings.adminPassword ?? generatedPassword ?? '',
  });
  return { email, generatedPassword };
}

import type { EntityManager } from '@mikro-orm/knex';
import { User } from '../users/entity';
import { hashPassword, verifyPassword } from './passwords';
import { portalAccessAllowed, type SessionUser, startSession } from './sessions';

export class WrongCredentialsError extends Error {
  constructor() {
    super('E-mail or password is wrong.');
  }
}

// Checked when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

export async function login(
  em: EntityManager,
  email: string,
  password: string,
): Promise<{ user: SessionUser; token: string; expiresAt: Date }> {
  const user = await em.findOne(User, { email: email.trim().toLowerCase() });
  if (!user?.active) {
    dummyHash ??= hashPassword('not a real password');
    await verifyPassword(password, await dummyHash);
    throw new WrongCredentialsError();
  }
  if (!(await verifyPassword(password, user.passwordHash))) throw new WrongCredentialsError();
  if (!(await portalAccessAllowed(em, user))) throw new WrongCredentialsError();
  const { token, expiresAt } = await startSession(em, user.id);
  return {
    token,
    expiresAt,
    user: { id: user.id, email: user.email, name: user.name, role: user.role, clientId: user.clientId ?? null },
  };
}

import type { EntityManager } from '@mikro-orm/knex';
import { audit } from '../audit/service';
import { User } from '../users/entity';
import { accountsOf } from './accounts';
import { hashPassword, verifyPassword } from './passwords';
import { endAllSessions, portalAccessAllowed, type SessionUser, startSession } from './sessions';
import { TooManyAttemptsError } from './throttle';

export class WrongCredentialsError extends Error {
  constructor() {
    super('E-mail or password is wrong.');
  }
}

// Checked when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

/**
 * Signs in: refused while the account or the address is throttled (throttle.ts), and with the same answer for
 * an unknown e-mail, a wrong password, a deactivated account and a portal account whose client may not sign in.
 * Every attempt lands in the audit log.
 */
export async function login(
  em: EntityManager,
  input: { email: string; password: string; address: string | null },
): Promise<{ user: SessionUser; token: string; expiresAt: Date }> {
  const { throttle } = accountsOf(em);
  const email = input.email.trim().toLowerCase();
  try {
    await throttle.check(email, input.address);
  } catch (error) {
    if (error instanceof TooManyAttemptsError) {
      await audit(em, { type: 'signInThrottled', email, address: input.address });
    }
    throw error;
  }
  const user = await em.findOne(User, { email });
  let valid = false;
  if (user?.active) {
    valid = (await verifyPassword(input.password, user.passwordHash)) && (await portalAccessAllowed(em, user));
  } else {
    dummyHash ??= hashPassword('not a real password');
    await verifyPassword(input.password, await dummyHash);
  }
  if (!user || !valid) {
    await throttle.failed(email, input.address);
    await audit(em, { type: 'signInFailed', email, user: user ?? null, address: input.address });
    throw new WrongCredentialsError();
  }
  await throttle.succeeded(email);
  const { token, expiresAt } = await startSession(em, user.id);
  await audit(em, {
    type: 'signIn',
    actor: { id: user.id, name: user.name },
    user,
    clientId: user.clientId ?? null,
    address: input.address,
  });
  return {
    token,
    expiresAt,
    user: { id: user.id, email: user.email, name: user.name, role: user.role, clientId: user.clientId ?? null },
  };
}

/** Ends every session of the user, this one included (a lost laptop, a shared computer). */
export async function logoutEverywhere(
  em: EntityManager,
  user: { id: number; name: string; email: string; clientId: number | null },
  address: string | null,
): Promise<void> {
  await endAllSessions(em, user.id);
  await audit(em, { type: 'signOutEverywhere', actor: user, user, clientId: user.clientId, address });
}

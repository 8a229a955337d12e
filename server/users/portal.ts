import type { EntityManager } from '@mikro-orm/knex';
import { audit } from '../audit/service';
import type { Actor } from '../auth/actor';
import { PasswordToken, Session } from '../auth/entity';
import { type HandedOverLink, issuePasswordLink } from '../auth/password-links';
import { isPasswordSet } from '../auth/passwords';
import { closeSocketsOf } from '../auth/sessions';
import { Client, type ClientEntity } from '../clients/entity';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { mailLocale } from '../mail/templates';
import { User, type UserEntity } from './entity';
import { createUser } from './service';

/**
 * A client's portal account: the user with role 'client' linked to it, created when an administrator turns
 * "Login allowed" on for a client that has an e-mail. Its sign-in e-mail is the client's e-mail at that moment.
 */
function portalAccountOf(em: EntityManager, clientId: number): Promise<UserEntity | null> {
  return em.findOne(User, { clientId, role: 'client' }, { orderBy: { id: 'asc' } });
}

/**
 * Makes sure a client that may sign in has its account, and hands out a set-password link when the account has
 * no password yet (or `newLink` asks for one). A client without an e-mail gets no account until it has one.
 */
async function ensurePortalAccount(
  tx: EntityManager,
  client: ClientEntity,
  newLink: boolean,
): Promise<HandedOverLink | null> {
  if (!client.email) return null;
  let user = await portalAccountOf(tx, client.id);
  if (!user) {
    const owner = await tx.findOne(User, { email: client.email }, { fields: ['id'] });
    if (owner) {
      throw ValidationError.of(
        'loginAllowed',
        `The e-mail ${client.email} already signs in to another account; give this client its own e-mail first.`,
      );
    }
    user = await createUser(tx, { email: client.email, name: client.name, role: 'client', clientId: client.id });
  }
  if (!newLink && isPasswordSet(user.passwordHash)) return null;
  return issuePasswordLink(
    tx,
    user,
    isPasswordSet(user.passwordHash) ? 'reset' : 'portal',
    mailLocale(client.language),
  );
}

/** What changing "Login allowed" did: the link to hand over (turned on), and whose sessions ended (turned off). */
export interface PortalAccessChange {
  link: HandedOverLink | null;
  endedUserIds: number[];
}

/**
 * Called inside the client's write transaction when "Login allowed" changes. On: the portal account and its
 * set-password link (see ensurePortalAccount). Off: its sessions and unused links end at once (sign-in is refused
 * from then on by sessions.ts). The caller closes the WebSockets of `endedUserIds` once the transaction commits.
 */
export async function portalAccessChanged(
  tx: EntityManager,
  actor: Actor,
  client: ClientEntity,
  allowed: boolean,
): Promise<PortalAccessChange> {
  if (allowed) {
    const link = await ensurePortalAccount(tx, client, false);
    const user = await portalAccountOf(tx, client.id);
    await audit(tx, { type: 'portalAccessGranted', actor, user, clientId: client.id });
    return { link, endedUserIds: [] };
  }
  const users = await tx.find(User, { clientId: client.id, role: 'client' }, { fields: ['id', 'email'] });
  const ids = users.map((user) => user.id);
  if (ids.length > 0) {
    await tx.nativeDelete(Session, { userId: { $in: ids } });
    await tx.nativeDelete(PasswordToken, { userId: { $in: ids }, usedAt: null });
  }
  await audit(tx, { type: 'portalAccessRevoked', actor, user: users[0] ?? null, clientId: client.id });
  return { link: null, endedUserIds: ids };
}

/** After the transaction that turned access off has committed: the ended sessions' sockets close too. */
export function closePortalSockets(em: EntityManager, change: PortalAccessChange): void {
  for (const id of change.endedUserIds) closeSocketsOf(em, id);
}

export interface PortalStatus {
  loginAllowed: boolean;
  /** The card's e-mail: a portal account needs one. */
  clientEmail: string | null;
  account: {
    id: number;
    email: string;
    passwordSet: boolean;
    /** When the unused set-password link runs out, if there is one. */
    linkExpiresAt: Date | null;
  } | null;
}

export async function portalStatus(em: EntityManager, clientId: number): Promise<PortalStatus> {
  const client = await em.findOne(Client, clientId, { fields: ['id', 'email', 'loginAllowed'] });
  if (!client) throw new NotFoundError(`Client ${clientId} does not exist.`);
  const user = await portalAccountOf(em, clientId);
  const link = user
    ? await em.findOne(
        PasswordToken,
        { userId: user.id, usedAt: null, expiresAt: { $gt: new Date() } },
        { orderBy: { id: 'desc' } },
      )
    : null;
  return {
    loginAllowed: client.loginAllowed,
    clientEmail: client.email ?? null,
    account: user
      ? {
          id: user.id,
          email: user.email,
          passwordSet: isPasswordSet(user.passwordHash),
          linkExpiresAt: link?.expiresAt ?? null,
        }
      : null,
  };
}

/**
 * A new set-password link for the client's portal account (creating the account if the client got its e-mail
 * after access was turned on); older links stop working.
 */
export async function newPortalLink(
  em: EntityManager,
  actor: Actor,
  clientId: number,
  address: string | null,
): Promise<HandedOverLink> {
  return em.transactional(async (tx) => {
    const client = await tx.findOne(Client, clientId);
    if (!client) throw new NotFoundError(`Client ${clientId} does not exist.`);
    if (client.deletedAt) throw new ConflictError(`Client "${client.name}" was deleted; restore it first.`);
    if (!client.loginAllowed) throw new ConflictError('Turn "Login allowed" on first.');
    if (!client.email) throw ValidationError.of('email', 'The client needs an e-mail to sign in with.');
    const link = await ensurePortalAccount(tx, client, true);
    if (!link) throw new ConflictError('The client needs an e-mail to sign in with.');
    const user = await portalAccountOf(tx, client.id);
    await audit(tx, { type: 'passwordLinkIssued', actor, user, clientId, address });
    return link;
  });
}

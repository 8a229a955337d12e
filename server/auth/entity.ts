import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { User } from '../users/entity';

/** A signed-in browser. Only the SHA-256 of the cookie's token is stored, so a leaked table signs nobody in. */
export const Session = defineEntity({
  name: 'Session',
  properties: {
    id: p.integer().primary(),
    tokenHash: p.string().length(64).unique(),
    userId: () => p.manyToOne(User).mapToPk().fieldName('user_id').index().deleteRule('cascade'),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastSeenAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
  },
});
export type SessionEntity = InferEntity<typeof Session>;

export const PASSWORD_LINK_PURPOSES = ['invite', 'reset', 'portal'] as const;
export type PasswordLinkPurpose = (typeof PASSWORD_LINK_PURPOSES)[number];

/**
 * A one-time set-password link (an invitation, a reset, a new portal account). Like sessions, only the SHA-256 of
 * the token is stored; a link works once and until it expires, and a newer link for the same user replaces it.
 */
export const PasswordToken = defineEntity({
  name: 'PasswordToken',
  properties: {
    id: p.integer().primary(),
    tokenHash: p.string().length(64).unique(),
    userId: () => p.manyToOne(User).mapToPk().fieldName('user_id').index().deleteRule('cascade'),
    purpose: p.enum([...PASSWORD_LINK_PURPOSES]),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
  },
});
export type PasswordTokenEntity = InferEntity<typeof PasswordToken>;

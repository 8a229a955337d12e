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

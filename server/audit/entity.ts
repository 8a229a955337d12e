import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { AUDIT_TYPES } from '../../shared/audit';
import type { FieldChange } from '../activity/entity';

/**
 * The audit log: who signed in (or failed to), and every change to who may do what. Plain ids and copied names and
 * e-mails, so an entry outlives the account it is about.
 */
export const AuditEntry = defineEntity({
  name: 'AuditEntry',
  properties: {
    id: p.integer().primary(),
    at: p
      .datetime()
      .onCreate(() => new Date())
      .index(),
    type: p.enum([...AUDIT_TYPES]).index(),
    /** Who did it: an administrator, or the person signing in; null when nobody signed in did it. */
    actorId: p.integer().nullable(),
    actorName: p.string().length(200).nullable(),
    /** The account it is about, and its e-mail at the time (for a failed sign-in: the e-mail that was typed). */
    userId: p.integer().nullable().index(),
    email: p.string().length(254).nullable(),
    clientId: p.integer().nullable(),
    /** The caller's network address. */
    address: p.string().length(64).nullable(),
    /** What changed, e.g. { role: { before: 'viewer', after: 'agent' } }. */
    changes: p.json<Record<string, FieldChange>>().nullable(),
  },
});
export type AuditEntryEntity = InferEntity<typeof AuditEntry>;

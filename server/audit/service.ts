import type { EntityManager } from '@mikro-orm/knex';
import type { AuditType } from '../../shared/audit';
import type { FieldChange } from '../activity/entity';
import { AuditEntry } from './entity';

export interface AuditInput {
  type: AuditType;
  /** Who did it (an administrator, or the person signing in); null for nobody signed in. */
  actor?: { id: number; name: string } | null;
  /** The account it is about. */
  user?: { id: number; email: string } | null;
  /** For a failed sign-in: the e-mail that was typed. */
  email?: string;
  clientId?: number | null;
  address?: string | null;
  changes?: Record<string, FieldChange>;
}

/** Appends one entry and flushes `em` (inside a transaction it commits with the change it records). */
export async function audit(em: EntityManager, input: AuditInput): Promise<void> {
  em.create(AuditEntry, {
    at: new Date(),
    type: input.type,
    actorId: input.actor?.id || null,
    actorName: input.actor?.name ?? null,
    userId: input.user?.id ?? null,
    email: (input.user?.email ?? input.email)?.slice(0, 254) ?? null,
    clientId: input.clientId ?? null,
    address: input.address?.slice(0, 64) ?? null,
    changes: input.changes ?? null,
  });
  await em.flush();
}

export interface AuditEntryDto {
  id: number;
  at: Date;
  type: AuditType;
  actorName: string | null;
  userId: number | null;
  email: string | null;
  clientId: number | null;
  address: string | null;
  changes: Record<string, FieldChange> | null;
}

/** The log, newest first, a page at a time (`cursor`: the last id of the previous page). */
export async function listAudit(
  em: EntityManager,
  input: { type?: AuditType; userId?: number; cursor?: number; limit: number },
): Promise<{ entries: AuditEntryDto[]; nextCursor: number | null }> {
  const rows = await em.find(
    AuditEntry,
    {
      ...(input.type ? { type: input.type } : {}),
      ...(input.userId ? { userId: input.userId } : {}),
      ...(input.cursor ? { id: { $lt: input.cursor } } : {}),
    },
    { orderBy: { id: 'desc' }, limit: input.limit + 1 },
  );
  const page = rows.slice(0, input.limit);
  return {
    entries: page.map((row) => ({
      id: row.id,
      at: row.at,
      type: row.type,
      actorName: row.actorName ?? null,
      userId: row.userId ?? null,
      email: row.email ?? null,
      clientId: row.clientId ?? null,
      address: row.address ?? null,
      changes: row.changes ?? null,
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

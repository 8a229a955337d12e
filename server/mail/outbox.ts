import type { EntityManager } from '@mikro-orm/knex';
import { type MailStatus, OutboxMail, type OutboxMailEntity } from './entity';
import type { MailText } from './templates';

/**
 * Puts a mail in the outbox on `em`: inside a transaction it commits (or not) with the change it is about.
 * The caller flushes (the write path and the services do).
 */
export function enqueueMail(em: EntityManager, mail: MailText & { to: string; clientId?: number | null }): void {
  const now = new Date();
  em.create(OutboxMail, {
    to: mail.to,
    subject: mail.subject,
    body: mail.body,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    clientId: mail.clientId ?? null,
    createdAt: now,
  });
}

/** A mail as the admins' outbox screen shows it: no body, which may hold a set-password link. */
export interface OutboxMailDto {
  id: number;
  to: string;
  subject: string;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  clientId: number | null;
  createdAt: Date;
  sentAt: Date | null;
  nextAttemptAt: Date | null;
}

function toDto(mail: OutboxMailEntity): OutboxMailDto {
  return {
    id: mail.id,
    to: mail.to,
    subject: mail.subject,
    status: mail.status,
    attempts: mail.attempts,
    lastError: mail.lastError ?? null,
    clientId: mail.clientId ?? null,
    createdAt: mail.createdAt,
    sentAt: mail.sentAt ?? null,
    nextAttemptAt: mail.status === 'pending' ? mail.nextAttemptAt : null,
  };
}

/** The outbox, newest first, a page at a time (`cursor`: the last id of the previous page). */
export async function listOutbox(
  em: EntityManager,
  input: { status?: MailStatus; cursor?: number; limit: number },
): Promise<{ items: OutboxMailDto[]; nextCursor: number | null; counts: Record<MailStatus, number> }> {
  const rows = await em.find(
    OutboxMail,
    { ...(input.status ? { status: input.status } : {}), ...(input.cursor ? { id: { $lt: input.cursor } } : {}) },
    { orderBy: { id: 'desc' }, limit: input.limit + 1 },
  );
  const page = rows.slice(0, input.limit);
  const [pending, sent, failed] = await Promise.all(
    (['pending', 'sent', 'failed'] as const).map((status) => em.count(OutboxMail, { status })),
  );
  return {
    items: page.map(toDto),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
    counts: { pending: pending ?? 0, sent: sent ?? 0, failed: failed ?? 0 },
  };
}

import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const MAIL_STATUSES = ['pending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * The durable outbox: a mail is written in the same transaction as the change it tells about, and the sender
 * (sender.ts) delivers it over SMTP later, retrying with backoff. Without SMTP it waits here, visible to admins.
 */
export const OutboxMail = defineEntity({
  name: 'OutboxMail',
  tableName: 'outbox_mail',
  properties: {
    id: p.integer().primary(),
    to: p.string().length(254).fieldName('recipient'),
    subject: p.string().length(300),
    body: p.text(),
    status: p.enum([...MAIL_STATUSES]).default('pending'),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    /** When the sender may try next: now for a new mail, later after a failure or while a sender holds it. */
    nextAttemptAt: p.datetime(),
    /** The client the mail is about, if any. */
    clientId: p.integer().nullable().index(),
    createdAt: p.datetime().onCreate(() => new Date()),
    sentAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['status', 'nextAttemptAt'] }],
});
export type OutboxMailEntity = InferEntity<typeof OutboxMail>;

import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import nodemailer, { type Transporter } from 'nodemailer';
import { pause, Wakeup } from '../live/subscriber';
import { log } from '../ops/log';
import { OutboxMail, type OutboxMailEntity } from './entity';

export interface MailSettings {
  /** smtp://user:pass@host:587 or smtps://…:465; unset: mail waits in the outbox. */
  smtpUrl?: string;
  from: string;
  /** The first retry waits this long, each next one twice as long, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** After this many failed attempts a mail is marked failed and left for an administrator to see. */
  maxAttempts: number;
  /** How often the sender looks for due mail when nothing woke it. */
  pollMs: number;
  /** How long a sender holds a mail it is sending before another instance may take it over. */
  claimMs: number;
}

export const DEFAULT_MAIL_SETTINGS: Omit<MailSettings, 'smtpUrl'> = {
  from: 'Kartoteka <no-reply@localhost>',
  retryBaseMs: 30_000,
  retryMaxMs: 3600_000,
  maxAttempts: 20,
  pollMs: 5_000,
  claimMs: 120_000,
};

const BATCH = 20;

export function retryDelayMs(attempts: number, settings: Pick<MailSettings, 'retryBaseMs' | 'retryMaxMs'>): number {
  return Math.min(settings.retryBaseMs * 2 ** Math.max(0, attempts - 1), settings.retryMaxMs);
}

/**
 * Delivers the outbox over SMTP: due mail oldest first, each claimed (its next attempt pushed past the claim time
 * in one conditional update) so that several app instances never send the same mail twice. A failure is
 * recorded on the mail and retried with exponential backoff. It wakes when the event log grows (a notification
 * may have been queued), and otherwise every `pollMs`.
 */
export class MailSender {
  private readonly transport: Transporter;
  private readonly wakeup = new Wakeup();
  private readonly stopping = new AbortController();
  private running: Promise<void> | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly settings: MailSettings & { smtpUrl: string },
  ) {
    this.transport = nodemailer.createTransport(
      // A server that does not answer must not hold the loop for minutes.
      { url: settings.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 },
      { from: settings.from },
    );
  }

  start(): void {
    this.running ??= this.loop();
  }

  wake(): void {
    this.wakeup.notify();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
    this.transport.close();
  }

  private async loop(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      let busy = false;
      try {
        busy = (await this.sendDue()) === BATCH;
      } catch (error) {
        log.error({ err: error }, 'The mail outbox could not be read');
        if (await pause(this.settings.pollMs, signal)) return;
      }
      if (!busy) await this.wakeup.wait(this.settings.pollMs, signal);
    }
  }

  /** Sends what is due now; answers how many mails it looked at. */
  async sendDue(): Promise<number> {
    const em = this.orm.em.fork() as EntityManager;
    const due = await em.find(
      OutboxMail,
      { status: 'pending', nextAttemptAt: { $lte: new Date() } },
      { orderBy: { nextAttemptAt: 'asc', id: 'asc' }, limit: BATCH },
    );
    for (const mail of due) {
      if (this.stopping.signal.aborted) break;
      if (await this.claim(em, mail)) await this.send(em, mail);
    }
    return due.length;
  }

  private async claim(em: EntityManager, mail: OutboxMailEntity): Promise<boolean> {
    const now = new Date();
    const claimed = await em.nativeUpdate(
      OutboxMail,
      { id: mail.id, status: 'pending', nextAttemptAt: { $lte: now } },
      { nextAttemptAt: new Date(now.getTime() + this.settings.claimMs) },
    );
    return claimed === 1;
  }

  private async send(em: EntityManager, mail: OutboxMailEntity): Promise<void> {
    const attempts = mail.attempts + 1;
    try {
      await this.transport.sendMail({ to: mail.to, subject: mail.subject, text: mail.body });
      await em.nativeUpdate(
        OutboxMail,
        { id: mail.id },
        { status: 'sent', attempts, sentAt: new Date(), lastError: null },
      );
    } catch (error) {
      const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
      const failed = attempts >= this.settings.maxAttempts;
      await em.nativeUpdate(
        OutboxMail,
        { id: mail.id },
        {
          status: failed ? 'failed' : 'pending',
          attempts,
          lastError,
          nextAttemptAt: new Date(Date.now() + retryDelayMs(attempts, this.settings)),
        },
      );
    }
  }
}

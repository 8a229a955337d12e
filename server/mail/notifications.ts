import type { EntityManager } from '@mikro-orm/knex';
import type { ClientStatus } from '../../shared/enums';
import type { ClientEventEntity } from '../activity/entity';
import type { EventHook } from '../activity/write-path';
import type { Actor } from '../auth/actor';
import { Client, type ClientEntity } from '../clients/entity';
import { Note } from '../notes/entity';
import { User } from '../users/entity';
import { enqueueMail } from './outbox';
import { documentAddedMail, type MailText, mailLocale, noteAddedMail, statusChangedMail } from './templates';

type Compose = (locale: ReturnType<typeof mailLocale>, client: ClientEntity, portalUrl: string | null) => MailText;

/**
 * What a client is told about, from one event of the log: a status change, a new public note (or a private one
 * made public) and a new document. Nothing else, and never a private note.
 */
async function composerFor(tx: EntityManager, event: ClientEventEntity): Promise<Compose | null> {
  const { changes } = event;
  if ((event.type === 'client.status' || event.type === 'client.updated') && changes.status) {
    const status = changes.status.after as ClientStatus;
    if (changes.status.before === status) return null;
    return (locale, client, portalUrl) => statusChangedMail(locale, { clientName: client.name, status, portalUrl });
  }
  const publicNow = changes.visibility?.after === 'public';
  const becamePublic =
    event.type === 'note.added' || (event.type === 'note.updated' && changes.visibility?.before === 'private');
  if (publicNow && becamePublic) {
    const noteId = changes.id?.after as number;
    const body =
      (changes.body?.after as string | undefined) ??
      (await tx.findOne(Note, noteId, { fields: ['id', 'body'] }))?.body ??
      '';
    return (locale, client, portalUrl) => noteAddedMail(locale, { clientName: client.name, body, portalUrl });
  }
  if (event.type === 'file.added' && changes.kind?.after === 'document') {
    const fileName = String(changes.fileName?.after ?? '');
    return (locale, client, portalUrl) => documentAddedMail(locale, { clientName: client.name, fileName, portalUrl });
  }
  return null;
}

/**
 * The write path's hook that e-mails clients about changes that concern them, into the outbox in the same
 * transaction as the change: when the client has "E-mail notifications" on, is not deleted, and has an address
 * (its portal account's, else the card's). A client is not told about what it did itself on the portal, nor
 * about the system's own writes.
 */
export function notifyClients(publicUrl: () => string): EventHook {
  return async (tx: EntityManager, actor: Actor, events) => {
    // The system's own writes (demo data at start-up) are nobody's news: demo addresses must never get mail.
    if (!actor.id) return;
    let queued = false;
    for (const event of events) {
      if (actor.role === 'client' && actor.clientId === event.clientId) continue;
      const compose = await composerFor(tx, event);
      if (!compose) continue;
      const client = await tx.findOne(Client, event.clientId);
      if (!client || client.deletedAt || !client.emailNotifications) continue;
      const portalUser = client.loginAllowed
        ? await tx.findOne(User, { clientId: client.id, active: true }, { fields: ['id', 'email'] })
        : null;
      const to = portalUser?.email ?? client.email;
      if (!to) continue;
      const mail = compose(mailLocale(client.language), client, portalUser ? `${publicUrl()}/portal` : null);
      enqueueMail(tx, { ...mail, to, clientId: client.id });
      queued = true;
    }
    if (queued) await tx.flush();
  };
}

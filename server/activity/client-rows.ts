import type { EntityManager } from '@mikro-orm/knex';
import type { Actor } from '../auth/actor';
import type { ClientDto } from '../clients/dto';
import { getClient } from '../clients/service';
import { ConflictError } from '../errors';
import type { FieldChange } from './entity';

/** Helpers for changes to the rows a client owns (notes, files, projects, contracts) through the one write path. */

/**
 * The client whose rows are about to change: one the actor may see (else NOT_FOUND, as for a client that does
 * not exist) and not deleted (else CONFLICT, naming `what` cannot change until it is restored).
 */
export async function clientOpenForChanges(
  em: EntityManager,
  actor: Actor,
  clientId: number,
  what: string,
): Promise<ClientDto> {
  const client = await getClient(em, actor, clientId);
  if (client.deletedAt)
    throw new ConflictError(`Client "${client.name}" was deleted; restore it before changing ${what}.`);
  return client;
}

type Fields = Record<string, unknown>;

/**
 * The `changes` of an event about one row of a client (a note, file, project or contract): the row's id,
 * {before: null, after: id} while the row exists and {before: id, after: null} once deleted, so live
 * subscribers and the History tab can tell which row changed, next to its fields' values before and after.
 * Added or deleted rows list every field; updates list the fields that changed plus those in `always`
 * (a note's visibility, so a reader can decide who may see the event without looking the row up).
 */
export function rowChanges(
  id: number,
  before: Fields | null,
  after: Fields | null,
  always: readonly string[] = [],
): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {
    id: after ? { before: null, after: id } : { before: id, after: null },
  };
  for (const field of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    const from = before?.[field] ?? null;
    const to = after?.[field] ?? null;
    if (!before || !after || from !== to || always.includes(field)) changes[field] = { before: from, after: to };
  }
  return changes;
}

import type { EntityManager } from '@mikro-orm/knex';
import type { Actor } from '../auth/actor';
import { Client } from '../clients/entity';
import { NotFoundError } from '../errors';
import { eventFor, type LiveEvent } from '../live/events';
import { ClientCategory } from '../lookups/entity';
import { ClientEvent, type FieldChange } from './entity';
import type { EventType } from './write-path';

/** Edits by one person closer together than this read as one change in the history. */
export const GROUP_GAP_MS = 2 * 60 * 1000;
// Rows read from the log per round trip while filling a page; the page itself holds `limit` entries.
const BATCH = 200;

/** One line of a card's history: one event, or consecutive edits by one person grouped. */
export interface HistoryEntry {
  /** The newest event's seq (unique, stable: the entry's key). */
  seq: number;
  type: EventType;
  actorId: number | null;
  actorName: string;
  /** When the (first) change was made, and the last one of a group. */
  at: Date;
  until: Date;
  /** Per field: the value before the first change and after the last. */
  changes: Record<string, FieldChange>;
  /** How many saves the entry stands for. */
  count: number;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  /** Pass back as `cursor` for the older entries; null when there are none. */
  nextCursor: number | null;
}

function joins(entry: HistoryEntry, older: LiveEvent): boolean {
  return (
    entry.type === 'client.updated' &&
    older.type === 'client.updated' &&
    entry.actorId === older.actorId &&
    entry.actorName === older.actorName &&
    entry.at.getTime() - older.at.getTime() <= GROUP_GAP_MS
  );
}

function entryOf(event: LiveEvent): HistoryEntry {
  return {
    seq: event.seq,
    type: event.type,
    actorId: event.actorId,
    actorName: event.actorName,
    at: event.at,
    until: event.at,
    changes: { ...event.changes },
    count: 1,
  };
}

/** Folds an older event into a group read newest first: its `before` values are the group's. */
function absorb(entry: HistoryEntry, older: LiveEvent): void {
  for (const [field, change] of Object.entries(older.changes)) {
    const newer = entry.changes[field];
    entry.changes[field] = newer ? { before: change.before, after: newer.after } : change;
  }
  entry.at = older.at;
  entry.count += 1;
}

/**
 * A client's history, newest first, from the event log, cut down to what `actor` may see exactly as the live
 * stream does (eventFor). Paging by seq: an entry only closes when an older event does not join it, so a page
 * reads one entry beyond `limit` (or to the start of the log) before it answers.
 */
export async function clientHistory(
  em: EntityManager,
  actor: Actor,
  input: { clientId: number; cursor?: number | null; limit: number },
): Promise<HistoryPage> {
  const exists = await em.count(Client, { id: input.clientId });
  if (!exists || (actor.role === 'client' && actor.clientId !== input.clientId)) {
    throw new NotFoundError('There is no such client.');
  }
  const entries: HistoryEntry[] = [];
  let below = input.cursor ?? Number.MAX_SAFE_INTEGER;
  for (;;) {
    const rows = await em.find(
      ClientEvent,
      { clientId: input.clientId, seq: { $lt: below } },
      { orderBy: { seq: 'desc' }, limit: BATCH },
    );
    for (const row of rows) {
      const event = eventFor(actor, row);
      if (!event) continue;
      const last = entries.at(-1);
      if (last && joins(last, event)) absorb(last, event);
      else if (entries.length === input.limit) return { entries, nextCursor: last?.seq ?? null };
      else entries.push(entryOf(event));
    }
    if (rows.length < BATCH) return { entries, nextCursor: null };
    below = rows.at(-1)?.seq ?? 0;
  }
}

export interface FeedItem extends LiveEvent {
  client: { id: number; name: string; categoryId: number | null; categoryName: string | null; country: string | null };
}

export interface FeedPage {
  items: FeedItem[];
  nextCursor: number | null;
}

/**
 * Events across every client, newest first (the status monitor's feed), with each client's name, category and
 * country, filtered by type and by the client's category and country. Staff only (the router's permission).
 */
export async function activityFeed(
  em: EntityManager,
  actor: Actor,
  input: { types: EventType[]; categoryId?: number; country?: string; cursor?: number | null; limit: number },
): Promise<FeedPage> {
  const items: FeedItem[] = [];
  let below = input.cursor ?? Number.MAX_SAFE_INTEGER;
  for (;;) {
    const rows = await em.find(
      ClientEvent,
      { type: { $in: input.types }, seq: { $lt: below } },
      { orderBy: { seq: 'desc' }, limit: BATCH },
    );
    const clientIds = [...new Set(rows.map((row) => row.clientId))];
    const clients = new Map(
      (
        await em.find(
          Client,
          {
            id: { $in: clientIds },
            ...(input.categoryId ? { categoryId: input.categoryId } : {}),
            ...(input.country ? { country: input.country } : {}),
          },
          { fields: ['id', 'name', 'categoryId', 'country'] },
        )
      ).map((client) => [client.id, client]),
    );
    const categoryIds = [...new Set([...clients.values()].map((client) => client.categoryId).filter(Boolean))];
    const categories = new Map(
      (await em.find(ClientCategory, { id: { $in: categoryIds as number[] } })).map((category) => [
        category.id,
        category.name,
      ]),
    );
    for (const row of rows) {
      const client = clients.get(row.clientId);
      const event = client ? eventFor(actor, row) : null;
      if (!client || !event) continue;
      items.push({
        ...event,
        client: {
          id: client.id,
          name: client.name,
          categoryId: client.categoryId ?? null,
          categoryName: client.categoryId ? (categories.get(client.categoryId) ?? null) : null,
          country: client.country ?? null,
        },
      });
      if (items.length === input.limit) return { items, nextCursor: row.seq };
    }
    if (rows.length < BATCH) return { items, nextCursor: null };
    below = rows.at(-1)?.seq ?? 0;
  }
}

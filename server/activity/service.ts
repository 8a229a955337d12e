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
  /** The oldest event's seq: a group stands for the visible events from firstSeq to seq. */
  firstSeq: number;
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
    firstSeq: event.seq,
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
  entry.firstSeq = older.seq;
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
      // The next page starts below the last entry's oldest event, so a group is never split nor repeated.
      else if (entries.length === input.limit) return { entries, nextCursor: last?.firstSeq ?? null };
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
 * The filters run in SQL, so a rare category costs one query walking the log's index, not a round trip per
 * batch of non-matching events. One row beyond `limit` tells whether an older page exists.
 */
export async function activityFeed(
  em: EntityManager,
  actor: Actor,
  input: { types: EventType[]; categoryId?: number; country?: string; cursor?: number | null; limit: number },
): Promise<FeedPage> {
  const clientConditions: string[] = [];
  const clientParams: unknown[] = [];
  if (input.categoryId) {
    clientConditions.push('c.category_id = ?');
    clientParams.push(input.categoryId);
  }
  if (input.country) {
    clientConditions.push('c.country = ?');
    clientParams.push(input.country);
  }
  const events: LiveEvent[] = [];
  let below = input.cursor ?? Number.MAX_SAFE_INTEGER;
  for (;;) {
    const query = em
      .createQueryBuilder(ClientEvent, 'e')
      .where({ type: { $in: input.types }, seq: { $lt: below } })
      .orderBy({ seq: 'desc' })
      .limit(input.limit + 1);
    if (clientConditions.length > 0) {
      query.andWhere(
        `e.client_id in (select c.id from client c where ${clientConditions.join(' and ')})`,
        clientParams,
      );
    }
    const rows = await query.getResultList();
    for (const row of rows) {
      const event = eventFor(actor, row);
      if (event) events.push(event);
    }
    if (events.length > input.limit || rows.length <= input.limit) break;
    below = rows.at(-1)?.seq ?? 0;
  }
  const page = events.slice(0, input.limit);
  return {
    items: await withClients(em, page),
    nextCursor: events.length > input.limit ? (page.at(-1)?.seq ?? null) : null,
  };
}

/** The events with their client's name, category and country, read in two queries for the whole page. */
async function withClients(em: EntityManager, events: LiveEvent[]): Promise<FeedItem[]> {
  const clients = new Map(
    (
      await em.find(
        Client,
        { id: { $in: [...new Set(events.map((event) => event.clientId))] } },
        { fields: ['id', 'name', 'categoryId', 'country'] },
      )
    ).map((client) => [client.id, client]),
  );
  const categoryIds = [...clients.values()].flatMap((client) => (client.categoryId ? [client.categoryId] : []));
  const categories = new Map(
    (await em.find(ClientCategory, { id: { $in: [...new Set(categoryIds)] } })).map((category) => [
      category.id,
      category.name,
    ]),
  );
  return events.flatMap((event) => {
    const client = clients.get(event.clientId);
    if (!client) return [];
    const categoryId = client.categoryId ?? null;
    return [
      {
        ...event,
        client: {
          id: client.id,
          name: client.name,
          categoryId,
          categoryName: categoryId ? (categories.get(categoryId) ?? null) : null,
          country: client.country ?? null,
        },
      },
    ];
  });
}

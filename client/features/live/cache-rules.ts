import type { EventType } from '../../../server/activity/write-path';
import type { LiveEvent } from '../../../server/live/events';
import { feedTypeOf } from '../monitor/monitor-feed';

export type { EventType, LiveEvent };

/**
 * A tRPC query key: `[path, { input, type }]`. Keys match by prefix: a path alone matches every input of that
 * procedure, and leaving out `type` matches plain and infinite queries alike.
 */
export type QueryKeyPrefix = readonly [readonly string[], { input: Record<string, unknown>; type?: 'query' }?];

/** What one event does to the cache; computed without touching it, so the rules can be tested on their own. */
export interface CachePlan {
  /** Fields to write into `clients.get({ id })` at once, before it is refetched for its exact `version`. */
  patch: { id: number; values: Record<string, unknown> } | null;
  /** Query key prefixes to invalidate (active queries refetch, the rest go stale). */
  invalidate: QueryKeyPrefix[];
  /** Counts across all clients (the monitor's charts) the event changes: refetched once after a burst. */
  refetchAggregates: QueryKeyPrefix[];
}

/** Events that change the monitor's counts of clients. */
const MEMBERSHIP_EVENTS = new Set<EventType>(['client.created', 'client.deleted', 'client.restored', 'client.status']);

/** Fields that move a client between the monitor's breakdown groups. */
const BREAKDOWN_FIELDS = ['status', 'categoryId', 'country'];

const byClient = (path: string[], clientId: number): QueryKeyPrefix => [path, { input: { clientId }, type: 'query' }];
const clientGet = (id: number): QueryKeyPrefix => [['clients', 'get'], { input: { id }, type: 'query' }];

/** The `after` value of every change: what the row looks like now. */
export function afterValues(changes: LiveEvent['changes']): Record<string, unknown> {
  return Object.fromEntries(Object.entries(changes).map(([field, change]) => [field, change.after]));
}

/** A copy of the cached client with the event's values applied; fields the cache does not hold stay out. */
export function patchClient<T extends object>(cached: T, values: Record<string, unknown>): T {
  const known = Object.entries(values).filter(([field]) => field in cached);
  if (known.length === 0) return cached;
  return { ...cached, ...Object.fromEntries(known) };
}

/** The cache work for one event, lists aside (see list-refetch.ts). */
export function planFor(event: LiveEvent): CachePlan {
  const family = event.type.split('.')[0];
  // The History tab pages through the log (an infinite query), so its key carries no type.
  const invalidate: QueryKeyPrefix[] = [
    [['activity', 'history'], { input: { clientId: event.clientId } }],
    // The card's activity chart counts the same events.
    byClient(['activity', 'clientActivityPerDay'], event.clientId),
  ];
  let patch: CachePlan['patch'] = null;

  switch (family) {
    case 'client':
      patch = { id: event.clientId, values: afterValues(event.changes) };
      invalidate.push(clientGet(event.clientId));
      break;
    case 'note':
      invalidate.push(byClient(['notes', 'list'], event.clientId));
      break;
    case 'file':
      // A photo or logo changes the client too (photoFileId / logoFileId).
      invalidate.push(byClient(['files', 'list'], event.clientId), clientGet(event.clientId));
      break;
    case 'project':
      invalidate.push([['projects', 'list']]);
      break;
    case 'contract':
      invalidate.push(byClient(['contracts', 'list'], event.clientId));
      break;
  }
  const refetchAggregates: QueryKeyPrefix[] = [];
  if (feedTypeOf(event) === 'status') refetchAggregates.push([['activity', 'statusChangesPerDay']]);
  if (MEMBERSHIP_EVENTS.has(event.type) || BREAKDOWN_FIELDS.some((field) => field in event.changes)) {
    refetchAggregates.push([['clients', 'breakdown']]);
  }
  return { patch, invalidate, refetchAggregates };
}

/** The ids of every client on the given list pages (the `clients.list` query data in the cache). */
export function idsOnPages(pages: readonly ({ items: readonly { id: number }[] } | undefined)[]): Set<number> {
  const ids = new Set<number>();
  for (const page of pages) for (const item of page?.items ?? []) ids.add(item.id);
  return ids;
}

import type { EventType, LiveEvent } from '../live/cache-rules';

/** The categories the monitor can show; status changes by default. */
export const FEED_TYPES = ['status', 'created', 'deleted', 'notes'] as const;
export type FeedType = (typeof FEED_TYPES)[number];

export const EVENTS_OF: Record<FeedType, readonly EventType[]> = {
  status: ['client.status'],
  created: ['client.created'],
  deleted: ['client.deleted', 'client.restored'],
  notes: ['note.added', 'note.updated', 'note.deleted'],
};

/** The category of an event; an edit that changed the status along with other fields is a status change too. */
export function feedTypeOf(event: Pick<LiveEvent, 'type' | 'changes'>): FeedType | undefined {
  if (event.type === 'client.updated' && event.changes.status) return 'status';
  return FEED_TYPES.find((feedType) => EVENTS_OF[feedType].includes(event.type));
}

/** The log's event types behind the chosen categories, for activity.feed. */
export function eventTypesOf(shown: ReadonlySet<FeedType>): EventType[] {
  return FEED_TYPES.filter((type) => shown.has(type)).flatMap((type) => EVENTS_OF[type]);
}

/** How many of the listed events came after the seq the user last saw (none before a first look). */
export function unseenCount(feed: readonly Pick<LiveEvent, 'seq'>[], lastSeen: number | null): number {
  if (lastSeen === null) return 0;
  return feed.filter((event) => event.seq > lastSeen).length;
}

const LAST_SEEN_KEY = 'kartoteka.monitor.lastSeenSeq';

export function readLastSeen(storage: Pick<Storage, 'getItem'>): number | null {
  const value = Number(storage.getItem(LAST_SEEN_KEY));
  return Number.isInteger(value) && value > 0 ? value : null;
}

export function writeLastSeen(storage: Pick<Storage, 'setItem'>, seq: number): void {
  storage.setItem(LAST_SEEN_KEY, String(seq));
}

/** One browser tab's presence on a client card. */
export interface PresenceEntry {
  userId: number;
  name: string;
  /** A portal user (role 'client'); who sees whom is decided in service.ts. */
  portal: boolean;
  tabId: string;
  clientId: number;
  /** The field being edited, or null when only viewing. */
  field: string | null;
  /** When this tab arrived on this card (kept across heartbeats and field moves). */
  since: Date;
}

/**
 * Who is on which card. In memory by default (memory-store.ts); behind this interface so that several app
 * instances can share one (Redis) when scaled out. A tab is identified by its user and its tabId, so nobody can
 * move or remove another user's tab.
 */
export interface PresenceStore {
  /** A heartbeat: the tab is on `clientId`, editing `field`. It expires a TTL after the last heartbeat. */
  set(entry: Omit<PresenceEntry, 'since'>): Promise<void>;
  /** The tab left: it left the card, closed, or its socket dropped. */
  leave(userId: number, tabId: string): Promise<void>;
  /** Drops the entries whose last heartbeat is older than the TTL (the store also does this by itself). */
  expire(now?: number): Promise<void>;
  /** Every entry, or only those on `clientId`'s card. */
  snapshot(clientId?: number): Promise<PresenceEntry[]>;
  /** `listener` hears the ids of the cards whose viewers changed: arrived, left, moved field or expired. */
  subscribe(listener: (clientIds: number[]) => void): () => void;
  close(): Promise<void>;
}

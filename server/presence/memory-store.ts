import type { PresenceEntry, PresenceStore } from './store';

interface Held {
  entry: PresenceEntry;
  lastHeartbeat: number;
}

/** The embedded presence store: one process, entries in a map, expired by a timer. */
export class MemoryPresenceStore implements PresenceStore {
  private readonly tabs = new Map<string, Held>();
  private readonly listeners = new Set<(clientIds: number[]) => void>();
  private readonly sweeper: NodeJS.Timeout;

  /** `ttlMs`: how long an entry lives after its last heartbeat; `clock` is replaceable for tests. */
  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    // Swept a few times per TTL, so an entry is gone at most a quarter TTL (at most 5 s) after it expired.
    this.sweeper = setInterval(() => void this.expire(), Math.min(Math.max(ttlMs / 4, 50), 5_000));
    this.sweeper.unref();
  }

  async set(next: Omit<PresenceEntry, 'since'>): Promise<void> {
    const key = tabKey(next.userId, next.tabId);
    const held = this.tabs.get(key);
    const sameCard = held?.entry.clientId === next.clientId;
    const entry = { ...next, since: sameCard && held ? held.entry.since : new Date() };
    this.tabs.set(key, { entry, lastHeartbeat: this.clock() });
    // A heartbeat that changes nothing visible wakes nobody.
    if (sameCard && held.entry.field === next.field && held.entry.name === next.name) return;
    this.notify(held && !sameCard ? [held.entry.clientId, next.clientId] : [next.clientId]);
  }

  async leave(userId: number, tabId: string): Promise<void> {
    const key = tabKey(userId, tabId);
    const held = this.tabs.get(key);
    if (!held) return;
    this.tabs.delete(key);
    this.notify([held.entry.clientId]);
  }

  async expire(now = this.clock()): Promise<void> {
    const changed = new Set<number>();
    for (const [key, held] of this.tabs) {
      if (held.lastHeartbeat + this.ttlMs <= now) {
        this.tabs.delete(key);
        changed.add(held.entry.clientId);
      }
    }
    if (changed.size > 0) this.notify([...changed]);
  }

  async snapshot(clientId?: number): Promise<PresenceEntry[]> {
    return [...this.tabs.values()]
      .map((held) => held.entry)
      .filter((entry) => clientId === undefined || entry.clientId === clientId);
  }

  subscribe(listener: (clientIds: number[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.listeners.clear();
    this.tabs.clear();
  }

  private notify(clientIds: number[]): void {
    for (const listener of this.listeners) listener(clientIds);
  }
}

function tabKey(userId: number, tabId: string): string {
  return `${userId}/${tabId}`;
}

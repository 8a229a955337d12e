import type { RedisLink } from '../live/redis';
import type { PresenceEntry, PresenceStore } from './store';

const CHANNEL = 'presence';

/** Removes the entries whose deadline has passed and returns them, in one step, so exactly one instance reports
 * each expiry and a heartbeat landing at the same moment is never swept away. */
const EXPIRE_SCRIPT = `
local tabs = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local gone = {}
for _, tab in ipairs(tabs) do
  local entry = redis.call('HGET', KEYS[2], tab)
  redis.call('ZREM', KEYS[1], tab)
  redis.call('HDEL', KEYS[2], tab)
  if entry then table.insert(gone, entry) end
end
return gone`;

interface StoredEntry extends Omit<PresenceEntry, 'since'> {
  since: number;
}

function parse(raw: string): PresenceEntry {
  const stored = JSON.parse(raw) as StoredEntry;
  return { ...stored, since: new Date(stored.since) };
}

/**
 * Presence shared by every instance. Entries live in a hash (tab → entry) with a sorted set of their deadlines
 * (last heartbeat + TTL): a snapshot shows only entries before their deadline, and every instance sweeps the
 * passed ones, so the tabs of an instance that died disappear by themselves. Changes are broadcast, so watchers
 * on every instance hear them. Both keys expire too, so nothing is left behind once every instance is gone.
 *
 * Presence is soft state that heartbeats rebuild: while Redis is unreachable, heartbeats and leaves are dropped
 * and snapshots show the last state read; when it is back, watchers are woken to read it afresh.
 */
export class RedisPresenceStore implements PresenceStore {
  private readonly listeners = new Set<(clientIds: number[]) => void>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly entriesKey: string;
  private readonly deadlinesKey: string;
  private lastSeen: PresenceEntry[] = [];

  private constructor(
    private readonly link: RedisLink,
    private readonly ttlMs: number,
    private readonly clock: () => number,
    private readonly stopListening: () => void,
  ) {
    this.entriesKey = link.key('presence:entries');
    this.deadlinesKey = link.key('presence:deadlines');
    // As the memory store: swept a few times per TTL, at most every 5 s.
    this.sweeper = setInterval(() => void this.expire().catch(() => {}), Math.min(Math.max(ttlMs / 4, 50), 5_000));
    this.sweeper.unref();
  }

  static async create(link: RedisLink, ttlMs: number, clock: () => number = Date.now): Promise<RedisPresenceStore> {
    let store: RedisPresenceStore | undefined;
    const stopListening = await link.listen(CHANNEL, (payload) => store?.notify(JSON.parse(payload) as number[]));
    const stopReconnect = link.onReconnect(() => {
      const before = store?.lastSeen ?? [];
      store?.snapshot().then(
        (now) => store?.notify([...new Set([...before, ...now].map((entry) => entry.clientId))]),
        () => {},
      );
    });
    store = new RedisPresenceStore(link, ttlMs, clock, () => {
      stopListening();
      stopReconnect();
    });
    return store;
  }

  set(next: Omit<PresenceEntry, 'since'>): Promise<void> {
    return this.whenReachable(() => this.write(next));
  }

  private async write(next: Omit<PresenceEntry, 'since'>): Promise<void> {
    const tab = tabKey(next.userId, next.tabId);
    const now = this.clock();
    const [[, raw], [, deadline]] = (await this.link.commands
      .multi()
      .hget(this.entriesKey, tab)
      .zscore(this.deadlinesKey, tab)
      .exec()) as [[Error | null, string | null], [Error | null, string | null]];
    const held = raw && deadline && Number(deadline) > now ? parse(raw) : null;
    const sameCard = held?.clientId === next.clientId;
    const since = sameCard && held ? held.since.getTime() : now;
    const stored: StoredEntry = { ...next, since };
    await this.link.commands
      .multi()
      .hset(this.entriesKey, tab, JSON.stringify(stored))
      .zadd(this.deadlinesKey, now + this.ttlMs, tab)
      .pexpire(this.entriesKey, this.ttlMs * 2)
      .pexpire(this.deadlinesKey, this.ttlMs * 2)
      .exec();
    // A heartbeat that changes nothing visible wakes nobody.
    if (sameCard && held.field === next.field && held.name === next.name) return;
    this.changed(held && !sameCard ? [held.clientId, next.clientId] : [next.clientId]);
  }

  leave(userId: number, tabId: string): Promise<void> {
    return this.whenReachable(() => this.remove(userId, tabId));
  }

  private async remove(userId: number, tabId: string): Promise<void> {
    const tab = tabKey(userId, tabId);
    const [[, raw], [, removed]] = (await this.link.commands
      .multi()
      .hget(this.entriesKey, tab)
      .hdel(this.entriesKey, tab)
      .zrem(this.deadlinesKey, tab)
      .exec()) as [[Error | null, string | null], [Error | null, number]];
    if (raw && removed > 0) this.changed([parse(raw).clientId]);
  }

  expire(now = this.clock()): Promise<void> {
    return this.whenReachable(async () => {
      const keys = [this.deadlinesKey, this.entriesKey];
      const gone = (await this.link.commands.eval(EXPIRE_SCRIPT, 2, ...keys, String(now))) as string[];
      if (gone.length > 0) this.changed([...new Set(gone.map((raw) => parse(raw).clientId))]);
    });
  }

  async snapshot(clientId?: number): Promise<PresenceEntry[]> {
    if (this.link.ready) {
      try {
        const now = this.clock();
        const tabs = await this.link.commands.zrangebyscore(this.deadlinesKey, `(${now}`, '+inf');
        const raws = tabs.length > 0 ? await this.link.commands.hmget(this.entriesKey, ...tabs) : [];
        this.lastSeen = raws.filter((raw): raw is string => raw !== null).map(parse);
      } catch {
        // Redis went away mid-read: the last state read stands until it is back.
      }
    }
    return this.lastSeen.filter((entry) => clientId === undefined || entry.clientId === clientId);
  }

  subscribe(listener: (clientIds: number[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops sweeping and listening; the entries stay for the other instances (they expire by themselves). */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.stopListening();
    this.listeners.clear();
  }

  /**
   * Runs `work` unless Redis is unreachable. A change lost to an outage heals by itself: the next heartbeat
   * sets the entry again, and an entry that should have left expires. Other failures are errors.
   */
  private async whenReachable(work: () => Promise<void>): Promise<void> {
    if (!this.link.ready) return;
    try {
      await work();
    } catch (error) {
      if (this.link.ready) throw error;
    }
  }

  /** Wakes this instance's watchers and tells the other instances. */
  private changed(clientIds: number[]): void {
    this.notify(clientIds);
    this.link.broadcast(CHANNEL, JSON.stringify(clientIds));
  }

  private notify(clientIds: number[]): void {
    for (const listener of this.listeners) listener(clientIds);
  }
}

function tabKey(userId: number, tabId: string): string {
  return `${userId}/${tabId}`;
}

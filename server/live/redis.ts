import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export interface RedisSettings {
  url: string;
  /** Put before every key and channel, so several apps (or test runs) can share one Redis. */
  prefix: string;
}

export const DEFAULT_REDIS_PREFIX = 'kartoteka:';

/** How long a command may wait for Redis before it fails: a stalled Redis must not stall a request. */
const COMMAND_TIMEOUT_MS = 2_000;

function connection(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    lazyConnect: true,
    // Commands fail at once while Redis is unreachable instead of queueing: callers have a way to carry on
    // without it (the bus and presence skip, the throttle counts in memory) until the connection is back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // Never give up reconnecting; a restarted Redis is picked up within a second.
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
}

/**
 * One app instance's connections to Redis, shared by the bus, presence and the sign-in throttle: one for
 * commands and one in subscriber mode (Redis allows nothing else on a subscribed connection). Messages carry
 * the sending instance's id, so an instance does not hear its own broadcasts back (it has acted on them locally).
 */
export class RedisLink {
  readonly instanceId = randomUUID();
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private readonly reconnectListeners = new Set<() => void>();

  private constructor(
    readonly commands: Redis,
    private readonly subscriber: Redis,
    readonly prefix: string,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      const space = message.indexOf(' ');
      if (message.slice(0, space) === this.instanceId) return;
      for (const handler of this.handlers.get(channel) ?? []) handler(message.slice(space + 1));
    });
    let connected = true;
    subscriber.on('close', () => {
      connected = false;
    });
    subscriber.on('ready', () => {
      if (connected) return;
      connected = true;
      // ioredis sent the re-SUBSCRIBE before 'ready'; once a PING on the same connection answers, Redis has
      // processed it, so whatever the listeners read from now on covers every broadcast they did not hear.
      subscriber.ping().then(
        () => {
          for (const listener of this.reconnectListeners) listener();
        },
        () => {},
      );
    });
    // Without an 'error' listener ioredis prints every failed reconnect attempt; the outage is reported by
    // the callers that notice it, and the connection retries by itself.
    commands.on('error', () => {});
    subscriber.on('error', () => {});
  }

  /** Connects both; fails with the reason when Redis does not answer at start-up. */
  static async connect(settings: RedisSettings): Promise<RedisLink> {
    const commands = connection(settings.url, 'kartoteka');
    const subscriber = connection(settings.url, 'kartoteka-subscriber');
    try {
      await Promise.all([commands.connect(), subscriber.connect()]);
    } catch (error) {
      commands.disconnect();
      subscriber.disconnect();
      throw new Error(
        `REDIS_URL: cannot connect to Redis (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
    return new RedisLink(commands, subscriber, settings.prefix);
  }

  /** Whether commands can go out right now. */
  get ready(): boolean {
    return this.commands.status === 'ready';
  }

  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** Tells the other instances; dropped while Redis is unreachable (listeners catch up on reconnect). */
  broadcast(channel: string, payload: string): void {
    if (!this.ready) return;
    this.commands.publish(this.key(channel), `${this.instanceId} ${payload}`).catch(() => {});
  }

  /** Hears the other instances' broadcasts on `channel`; returns the function that stops listening. */
  async listen(channel: string, handler: (payload: string) => void): Promise<() => void> {
    const name = this.key(channel);
    let handlers = this.handlers.get(name);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(name, handlers);
      await this.subscriber.subscribe(name);
    }
    handlers.add(handler);
    return () => handlers.delete(handler);
  }

  /** `listener` runs each time the connection comes back after a loss: broadcasts may have been missed. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.reconnectListeners.clear();
    await Promise.all([quit(this.commands), quit(this.subscriber)]);
  }
}

/** QUIT when connected (pending replies arrive first); a connection that is down is just dropped. */
async function quit(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // Fall through: the connection went away meanwhile.
    }
  }
  redis.disconnect();
}

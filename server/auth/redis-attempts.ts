import type { RedisLink } from '../live/redis';
import { type AttemptCount, type AttemptCounter, MemoryAttemptCounter } from './throttle';

/**
 * Sign-in failure counters in Redis, so every instance counts the same attempts: INCR starts a key at 1 and
 * PEXPIRE NX gives it its window only then, which is exactly the fixed window of MemoryAttemptCounter.
 * While Redis is unreachable each instance counts in its own memory, so sign-in keeps working and stays throttled.
 */
export class RedisAttemptCounter implements AttemptCounter {
  private readonly fallback = new MemoryAttemptCounter();

  constructor(private readonly link: RedisLink) {}

  private key(key: string): string {
    return this.link.key(`attempts:${key}`);
  }

  async add(key: string, windowMs: number): Promise<AttemptCount> {
    return this.orFallback(
      async () => {
        const replies = await this.link.commands
          .multi()
          .incr(this.key(key))
          .pexpire(this.key(key), windowMs, 'NX')
          .pttl(this.key(key))
          .exec();
        const [[, count], , [, ttl]] = replies as [[Error | null, number], unknown, [Error | null, number]];
        return { count, resetInMs: Math.max(ttl, 0) };
      },
      () => this.fallback.add(key, windowMs),
    );
  }

  async get(key: string): Promise<AttemptCount | null> {
    return this.orFallback(
      async () => {
        const replies = await this.link.commands.multi().get(this.key(key)).pttl(this.key(key)).exec();
        const [[, count], [, ttl]] = replies as [[Error | null, string | null], [Error | null, number]];
        return count === null || ttl <= 0 ? null : { count: Number(count), resetInMs: ttl };
      },
      () => this.fallback.get(key),
    );
  }

  async clear(key: string): Promise<void> {
    await this.fallback.clear(key);
    await this.orFallback(
      async () => {
        await this.link.commands.del(this.key(key));
      },
      async () => {},
    );
  }

  private async orFallback<T>(redis: () => Promise<T>, memory: () => Promise<T>): Promise<T> {
    if (!this.link.ready) return memory();
    try {
      return await redis();
    } catch {
      // Redis went away mid-command.
      return memory();
    }
  }
}

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RedisSettings } from '../live/redis';

/** The Redis the tests may use: REDIS_URL, else the one every machine runs. */
export function testRedisUrl(): string {
  return process.env.REDIS_URL || 'redis://127.0.0.1:6379';
}

/**
 * A key prefix of its own for one test file, on the test Redis, so runs never see each other's keys;
 * `drop` deletes every key under it.
 */
export function testRedis(): RedisSettings & { drop(): Promise<void> } {
  const url = testRedisUrl();
  const prefix = `kartoteka-test-${randomBytes(6).toString('hex')}:`;
  return {
    url,
    prefix,
    async drop() {
      const redis = new Redis(url);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        await redis.quit();
      }
    },
  };
}

/** The same Redis reached through `port` on this machine (a TCP proxy the test can cut). */
export function throughPort(settings: RedisSettings, port: number): RedisSettings {
  const url = new URL(settings.url);
  url.host = `127.0.0.1:${port}`;
  return { ...settings, url: url.toString() };
}

export function redisEndpoint(settings: RedisSettings): { host: string; port: number } {
  const url = new URL(settings.url);
  return { host: url.hostname, port: Number(url.port || 6379) };
}

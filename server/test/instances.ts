import type { EntityManager } from '@mikro-orm/knex';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import superjson from 'superjson';
import WebSocket from 'ws';
import { type RunningApp, startApp } from '../app';
import type { AppRouter } from '../app-router';
import type { RealtimeSettings } from '../live/realtime';
import { apiAt, signInCookie } from '../load/session';
import { createUser } from '../users/service';
import { createThrowawayPostgres } from './databases';
import { ADMIN, type ApiClient } from './harness';
import { testRedis } from './redis';

/** One user signed in on one instance: HTTP calls, and WebSocket clients (which reconnect by themselves). */
export interface InstanceSession {
  api: ApiClient;
  ws(): ApiClient;
}

export interface Instances {
  apps: RunningApp[];
  /** The Redis key prefix the instances share (each run its own). */
  prefix: string;
  /** Creates a staff user and signs it in on `app`. */
  as(app: RunningApp, role: 'admin' | 'manager' | 'agent' | 'viewer'): Promise<InstanceSession>;
  close(): Promise<void>;
}

/**
 * `count` app instances in this process, started at the same moment, on one fresh PostgreSQL database and one
 * Redis key prefix, as a scaled-out deployment runs them. `redisUrl` replaces the Redis address (a TCP proxy the
 * test can cut); the key prefix is the run's own either way.
 */
export async function startInstances(
  count: number,
  options: { redisUrl?: (instance: number) => string; realtime?: Partial<RealtimeSettings> } = {},
): Promise<Instances> {
  const database = await createThrowawayPostgres();
  const redis = testRedis();
  const apps = await Promise.all(
    Array.from({ length: count }, (_, instance) =>
      startApp(
        {
          port: 0,
          host: '127.0.0.1',
          dataDir: '.',
          database: database.settings,
          adminEmail: ADMIN.email,
          adminPassword: ADMIN.password,
          seedDemo: false,
          allowedOrigins: [],
          redisUrl: options.redisUrl?.(instance) ?? redis.url,
          redisPrefix: redis.prefix,
        },
        { realtime: options.realtime },
      ),
    ),
  );
  const sockets: ReturnType<typeof createWSClient>[] = [];
  let users = 0;
  return {
    apps,
    prefix: redis.prefix,
    async as(app, role) {
      users++;
      const email = `${role}${users}@example.com`;
      const password = `${role}-password-${users}`;
      await createUser(app.orm.em.fork() as EntityManager, { email, name: `${role} ${users}`, role, password });
      const cookie = await signInCookie(app.url, email, password);
      return {
        api: apiAt(app.url, cookie),
        ws() {
          const socket = createWSClient({
            url: `${app.url.replace('http', 'ws')}/trpc`,
            WebSocket: class extends WebSocket {
              constructor(address: string | URL) {
                super(address, { headers: { cookie } });
              }
            } as unknown as typeof globalThis.WebSocket,
          });
          sockets.push(socket);
          return createTRPCClient<AppRouter>({ links: [wsLink({ client: socket, transformer: superjson })] });
        },
      };
    },
    async close() {
      for (const socket of sockets) await socket.close();
      await Promise.all(apps.map((app) => app.close()));
      await database.drop();
      await redis.drop();
    },
  };
}

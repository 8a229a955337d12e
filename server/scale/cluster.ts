import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import superjson from 'superjson';
import WebSocket from 'ws';
import type { AppRouter } from '../app-router';
import { type AppProcess, startAppProcess } from '../load/app-process';
import { freePort } from '../mail/test-smtp';
import { createThrowawayPostgres } from '../test/databases';
import type { ApiClient } from '../test/harness';
import { testRedis } from '../test/redis';
import { findNginx, type Nginx, startNginx } from './nginx';

/**
 * A scaled-out deployment on this machine, as deploy/nginx.conf describes it: `instances` app processes
 * (`server/main.ts`, as `npm start` runs it) started at the same moment on one fresh PostgreSQL database and one
 * Redis key prefix of their own, with nginx in front. For the cluster tests and the scale benchmark.
 */
export interface Cluster {
  /** nginx's address: what a browser would open. */
  url: string;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** The app processes, in start order; `address` ("127.0.0.1:port") is what nginx names in X-Kartoteka-Instance. */
  instances: ClusterInstance[];
  nginx: Nginx;
  /** Stops nginx and every instance still running, drops the database and the Redis keys. */
  close(): Promise<void>;
}

export interface ClusterInstance extends AppProcess {
  address: string;
}

/** Three processes compiling the app at once on a small, busy machine are slow to start. */
const START_TIMEOUT_MS = 120_000;

export const CLUSTER_ADMIN = { email: 'cluster-admin@example.com', password: 'cluster-admin-password' };

/** The response header nginx adds (deploy/nginx.conf): the instance (or instances, comma-separated) it tried. */
export const INSTANCE_HEADER = 'x-kartoteka-instance';

export interface ClusterOptions {
  instances: number;
  /** Another Redis than the test one (a private redis-server the test restarts); the key prefix stays unique. */
  redisUrl?: string;
  /** Extra environment for every instance. */
  env?: Record<string, string>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  // Before anything starts: without nginx there is no cluster to test (CI installs it).
  findNginx();
  const database = await createThrowawayPostgres();
  const redis = testRedis();
  const redisUrl = options.redisUrl ?? redis.url;
  const dataDir = mkdtempSync(join(tmpdir(), 'kartoteka-cluster-'));
  const started = await Promise.allSettled(
    Array.from({ length: options.instances }, () =>
      startAppProcess(
        {
          dataDir,
          databaseUrl: database.url,
          adminEmail: CLUSTER_ADMIN.email,
          adminPassword: CLUSTER_ADMIN.password,
          env: {
            REDIS_URL: redisUrl,
            REDIS_PREFIX: redis.prefix,
            // nginx on this machine is the one proxy hop: the instances take the caller's address from it.
            TRUST_PROXY: 'loopback',
            LOG_LEVEL: 'warn',
            ...options.env,
          },
        },
        START_TIMEOUT_MS,
      ),
    ),
  );
  const instances = started.flatMap((result) =>
    result.status === 'fulfilled' ? [{ ...result.value, address: new URL(result.value.url).host }] : [],
  );
  const cleanUp = async (nginx?: Nginx) => {
    await nginx?.stop();
    await Promise.all(instances.map((instance) => instance.stop()));
    await database.drop();
    if (!options.redisUrl) await redis.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await cleanUp();
    throw failed.reason;
  }
  let nginx: Nginx;
  try {
    nginx = await startNginx({ port: await freePort(), upstreams: instances.map((instance) => instance.address) });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  return {
    url: nginx.url,
    databaseUrl: database.url,
    redisUrl,
    redisPrefix: redis.prefix,
    instances,
    nginx,
    close: () => cleanUp(nginx),
  };
}

/** The instance that answered, from nginx's header: the last address it tried. */
export function answeredBy(header: string | string[] | undefined | null): string {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').at(-1)?.trim() ?? '';
}

/** A tRPC client on one WebSocket through `url`, which reconnects by itself; `instances` lists where each
 * connection of it landed, in order (a reconnect adds one). */
export interface TrackedSocket {
  api: ApiClient;
  instances: string[];
  close(): Promise<void>;
}

export function socketThrough(url: string, cookie: string): TrackedSocket {
  const instances: string[] = [];
  const client = createWSClient({
    url: `${url.replace(/^http/, 'ws')}/trpc`,
    WebSocket: class extends WebSocket {
      constructor(address: string | URL) {
        super(address, { headers: { cookie } });
        this.on('upgrade', (response) => instances.push(answeredBy(response.headers[INSTANCE_HEADER])));
      }
    } as unknown as typeof globalThis.WebSocket,
  });
  return {
    api: createTRPCClient<AppRouter>({ links: [wsLink({ client, transformer: superjson })] }),
    instances,
    close: () => client.close(),
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/knex';
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  type TRPCClient,
  TRPCClientError,
  wsLink,
} from '@trpc/client';
import superjson from 'superjson';
import WebSocket from 'ws';
import type { Role } from '../../shared/enums';
import { type RunningApp, startApp } from '../app';
import type { AppRouter } from '../app-router';
import type { AppConfig } from '../config';
import type { RealtimeSettings } from '../live/realtime';
import type { Logger } from '../ops/log';
import { createUser } from '../users/service';
import { createTestDatabase } from './databases';

export const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };

export type ApiClient = TRPCClient<AppRouter>;

export interface SignedIn {
  /** The credentials used, so a test can sign in again as the same user. */
  email: string;
  password: string;
  api: ApiClient;
  cookie: string;
  /** A WebSocket-backed client with the same session; closed with the app. */
  ws(): ApiClient;
  /** The same, with a way to drop its WebSocket early (a tab closing). */
  connection(): { api: ApiClient; close(): Promise<void> };
}

export interface TestApp {
  /** The running app (a new one after `restart`). */
  readonly app: RunningApp;
  url: string;
  em(): EntityManager;
  /** A client with no session. */
  anonymous(headers?: Record<string, string>): ApiClient;
  signIn(email: string, password: string): Promise<SignedIn>;
  /** Creates a user with the role and signs in as it. */
  as(role: Role, extra?: { clientId?: number }): Promise<SignedIn>;
  /**
   * Stops the app and starts it again on the same database and port, as a deploy would: sessions survive, open
   * WebSocket clients are dropped and reconnect by themselves.
   */
  restart(): Promise<void>;
  close(): Promise<void>;
}

function httpClient(
  url: string,
  headers: () => Record<string, string>,
  onResponse?: (response: Response) => void,
): ApiClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${url}/trpc`,
        transformer: superjson,
        headers,
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          onResponse?.(response);
          return response;
        },
      }),
    ],
  });
}

/** What a refused call carries: tRPC's code and, for bad input, the messages per field. */
export interface CallError {
  code: string;
  httpStatus: number;
  message: string;
  fieldErrors: Record<string, string[]> | undefined;
}

/** Awaits a call that must fail and returns its error; fails the test when the call succeeds. */
export async function failure(call: Promise<unknown>): Promise<CallError> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const data = error.data as { code: string; httpStatus: number; fieldErrors?: Record<string, string[]> } | undefined;
    return {
      code: data?.code ?? 'UNKNOWN',
      httpStatus: data?.httpStatus ?? 0,
      message: error.message,
      fieldErrors: data?.fieldErrors ?? undefined,
    };
  }
  throw new Error('Expected the call to fail, but it succeeded.');
}

/**
 * Starts the whole app on a random port with a fresh database: a SQLite file in a temp folder, or, when
 * DATABASE_URL is set, a throwaway PostgreSQL database created from it. Every integration test uses this.
 */
export async function startTestApp(
  options: {
    seedDemo?: boolean;
    realtime?: Partial<RealtimeSettings>;
    /** Settings to change (session limits, throttling, SMTP, trust proxy…), over the test defaults. */
    config?: Partial<AppConfig>;
    /** Where the app logs (tests that read the log); otherwise the process's logger, silent under vitest. */
    logger?: Logger;
  } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kartoteka-test-'));
  const database = await createTestDatabase(dataDir);
  const config: AppConfig = {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    database: database.settings,
    adminEmail: ADMIN.email,
    adminPassword: ADMIN.password,
    seedDemo: options.seedDemo ?? false,
    allowedOrigins: [],
    ...options.config,
  };
  let app = await startApp(config, { realtime: options.realtime, logger: options.logger });
  const sockets: ReturnType<typeof createWSClient>[] = [];
  let users = 0;

  const signIn = async (email: string, password: string): Promise<SignedIn> => {
    let cookie = '';
    const login = httpClient(
      app.url,
      () => ({ 'x-kartoteka-csrf': '1' }),
      (response) => {
        const set = response.headers.get('set-cookie');
        if (set) cookie = set.split(';')[0] ?? '';
      },
    );
    await login.auth.login.mutate({ email, password });
    if (!cookie) throw new Error('Sign-in set no cookie');
    const connection = () => {
      const socket = createWSClient({
        url: `${app.url.replace('http', 'ws')}/trpc`,
        WebSocket: class extends WebSocket {
          constructor(address: string | URL) {
            super(address, { headers: { cookie } });
          }
        } as unknown as typeof globalThis.WebSocket,
      });
      sockets.push(socket);
      return {
        api: createTRPCClient<AppRouter>({ links: [wsLink({ client: socket, transformer: superjson })] }),
        close: () => socket.close(),
      };
    };
    return {
      email,
      password,
      cookie,
      api: httpClient(app.url, () => ({ cookie, 'x-kartoteka-csrf': '1' })),
      ws: () => connection().api,
      connection,
    };
  };

  return {
    get app() {
      return app;
    },
    url: app.url,
    em: () => app.orm.em.fork() as EntityManager,
    anonymous: (headers = { 'x-kartoteka-csrf': '1' }) => httpClient(app.url, () => headers),
    signIn,
    async as(role, extra = {}) {
      users++;
      const email = `${role}${users}@example.com`;
      const password = `${role}-password-${users}`;
      await createUser(app.orm.em.fork() as EntityManager, {
        email,
        name: `${role} ${users}`,
        role,
        password,
        ...extra,
      });
      return signIn(email, password);
    },
    async restart() {
      const port = Number(new URL(app.url).port);
      await app.close();
      app = await startApp(
        { ...config, port, seedDemo: false },
        { realtime: options.realtime, logger: options.logger },
      );
    },
    async close() {
      for (const socket of sockets) await socket.close();
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

import type { EntityManager } from '@mikro-orm/knex';
import { createTRPCClient, httpBatchLink, httpLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../app-router';
import { SESSION_COOKIE, startSession } from '../auth/sessions';
import { CSRF_HEADER } from '../context';
import type { ApiClient } from '../test/harness';

/** Signing in and calling a running app over HTTP, for the benchmarks and suites that run it as a process. */

/** An HTTP tRPC client with the session cookie. Unbatched: each call is its own request, as timed. */
export function apiAt(url: string, cookie = '', options: { batch?: boolean } = {}): ApiClient {
  const link = options.batch ? httpBatchLink : httpLink;
  return createTRPCClient<AppRouter>({
    links: [link({ url: `${url}/trpc`, transformer: superjson, headers: () => ({ cookie, [CSRF_HEADER]: '1' }) })],
  });
}

/** Signs in and answers the session cookie ("name=value"). */
export async function signInCookie(url: string, email: string, password: string): Promise<string> {
  let cookie = '';
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url}/trpc`,
        transformer: superjson,
        headers: () => ({ [CSRF_HEADER]: '1' }),
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          cookie = response.headers.get('set-cookie')?.split(';')[0] ?? cookie;
          return response;
        },
      }),
    ],
  });
  await client.auth.login.mutate({ email, password });
  if (!cookie) throw new Error(`Signing in as ${email} set no cookie.`);
  return cookie;
}

/** Creates staff users through the API (as an admin would) and signs each in; answers their cookies. */
export async function staffSessions(
  url: string,
  adminCookie: string,
  role: 'admin' | 'manager' | 'agent' | 'viewer',
  count: number,
  prefix: string = role,
): Promise<{ id: number; cookie: string }[]> {
  const admin = apiAt(url, adminCookie);
  const sessions: { id: number; cookie: string }[] = [];
  for (let i = 1; i <= count; i++) {
    const email = `${prefix}${i}@example.com`;
    const password = `${prefix}-password-${i}`;
    const user = await admin.users.create.mutate({ email, name: `${prefix} ${i}`, role, password });
    sessions.push({ id: user.id, cookie: await signInCookie(url, email, password) });
  }
  return sessions;
}

/** A session for `userId` made straight in the database, as signing in would, without hashing a password. */
export async function sessionCookieFor(em: EntityManager, userId: number): Promise<string> {
  return `${SESSION_COOKIE}=${(await startSession(em, userId)).token}`;
}

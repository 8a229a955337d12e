import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, TRPCClientError, wsLink } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import superjson from 'superjson';
import type { AppRouter } from '../../server/app-router';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type ClientDto = RouterOutputs['clients']['get'];
export type ClientListItem = RouterOutputs['clients']['list']['items'][number];
export type SessionUser = NonNullable<RouterOutputs['auth']['me']>;
export type Conflict = RouterOutputs['clients']['update']['conflicts'][number];

function wsUrl(): string {
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${window.location.host}/trpc`;
}

/** Jittered exponential backoff: 0.5 s, 1 s, 2 s ... capped at 30 s, each spread by +-50 %. */
function retryDelayMs(attempt: number): number {
  const base = Math.min(500 * 2 ** attempt, 30_000);
  return Math.round(base / 2 + Math.random() * base);
}

/** The tab's one WebSocket; it stays open while the signed-in app holds its live subscription. */
export const wsClient = createWSClient({
  url: wsUrl,
  lazy: { enabled: true, closeMs: 10_000 },
  retryDelayMs,
  keepAlive: { enabled: true, intervalMs: 15_000, pongTimeoutMs: 5_000 },
});

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: wsLink({ client: wsClient, transformer: superjson }),
      false: httpBatchLink({
        url: '/trpc',
        transformer: superjson,
        headers: () => ({ 'x-kartoteka-csrf': '1' }),
        fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }),
      }),
    }),
  ],
});

export function errorCode(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string } | undefined;
    return data?.code;
  }
  return undefined;
}

/** The server's per-field validation messages, when the error carries them. */
export function fieldErrorsOf(error: unknown): Record<string, string[]> | null {
  if (error instanceof TRPCClientError) {
    const data = error.data as { fieldErrors?: Record<string, string[]> } | undefined;
    if (data?.fieldErrors && Object.keys(data.fieldErrors).length > 0) return data.fieldErrors;
  }
  return null;
}

function onUnauthorized(error: unknown): void {
  if (errorCode(error) === 'UNAUTHORIZED') {
    queryClient.setQueryData(trpc.auth.me.queryKey(), null);
  }
}

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onUnauthorized }),
  mutationCache: new MutationCache({ onError: onUnauthorized }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      retry: (count, error) => {
        const code = errorCode(error);
        if (code && ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST'].includes(code)) return false;
        return count < 2;
      },
    },
  },
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });

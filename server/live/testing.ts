import { TRPCClientError } from '@trpc/client';
import { eventsIn } from '../../shared/live';
import type { ApiClient } from '../test/harness';
import type { LiveEvent, LiveMessage } from './events';

/** Test helpers for live subscriptions over real WebSockets. */

/** Polls `check` until it holds, failing with `what` after a generous deadline: a wait, never a timing assertion. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface SubscriptionError {
  code: string;
  message: string;
}

export function subscriptionError(error: unknown): SubscriptionError {
  if (!(error instanceof TRPCClientError)) return { code: 'NOT_TRPC', message: String(error) };
  return { code: (error.data as { code?: string } | undefined)?.code ?? 'UNKNOWN', message: error.message };
}

/** What one live.events subscription received, in order. */
export interface Received {
  messages: { id: string; message: LiveMessage }[];
  events(): LiveEvent[];
  heads(): number[];
  lastId(): string | undefined;
  error: SubscriptionError | null;
  stop(): void;
}

export function subscribeEvents(
  api: ApiClient,
  input: { lastEventId?: string | null; clientId?: number } = {},
): Received {
  const received: Received = {
    messages: [],
    events: () => received.messages.flatMap(({ message }) => eventsIn(message)),
    heads: () => received.messages.flatMap(({ message }) => (message.kind === 'head' ? [message.seq] : [])),
    lastId: () => received.messages.at(-1)?.id,
    error: null,
    stop: () => subscription.unsubscribe(),
  };
  const subscription = api.live.events.subscribe(input, {
    onData: ({ id, data }) => received.messages.push({ id, message: data }),
    onError: (error) => {
      received.error = subscriptionError(error);
    },
  });
  return received;
}

import type { QueryClient } from '@tanstack/react-query';
import { errorCode, trpc, trpcClient } from '../../lib/trpc';
import { idsOnPages, type LiveEvent, patchClient, planFor } from './cache-rules';

export type LiveListener = (event: LiveEvent) => void;

/** In-tab fan-out of the app stream's events to features (the card's "changed by" hints). */
const listeners = new Set<LiveListener>();

export function onLiveEvent(listener: LiveListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export interface FollowOptions {
  /** Replay the log after this seq first; null starts at the end of the log. */
  after: number | null;
  onEvent: (event: LiveEvent) => void;
  /** The replay is done: everything up to `seq` has been passed to onEvent. */
  onHead: (seq: number) => void;
  /** The session ended; the stream stops for good. */
  onUnauthorized: () => void;
}

const RESUBSCRIBE_DELAY_MS = 1_000;

/**
 * Follows `live.events` in seq order, each event exactly once: drops repeats (the head may repeat the last event's
 * seq, a resumed replay may overlap) and picks up from the last seq after the server cut the subscription off (too
 * far behind) or failed. tRPC itself resumes from the last id across socket reconnects. Returns the stop function.
 */
export function followLog(options: FollowOptions): () => void {
  let lastSeq = options.after;
  let stopped = false;
  let retryTimer: number | undefined;
  let unsubscribe: () => void = () => {};

  const subscribe = () => {
    const subscription = trpcClient.live.events.subscribe(
      { lastEventId: lastSeq === null ? null : String(lastSeq) },
      {
        onData: ({ data }) => {
          if (data.kind === 'head') {
            lastSeq = Math.max(lastSeq ?? 0, data.seq);
            options.onHead(data.seq);
          } else if (lastSeq === null || data.seq > lastSeq) {
            lastSeq = data.seq;
            options.onEvent(data);
          }
        },
        onError: (error) => {
          if (stopped) return;
          const code = errorCode(error);
          if (code === 'UNAUTHORIZED') options.onUnauthorized();
          // A refusal will not change by asking again; anything else ("Too far behind", a failure) resumes.
          else if (code !== 'FORBIDDEN' && code !== 'BAD_REQUEST')
            retryTimer = window.setTimeout(subscribe, RESUBSCRIBE_DELAY_MS);
        },
      },
    );
    unsubscribe = () => subscription.unsubscribe();
  };

  subscribe();
  return () => {
    stopped = true;
    window.clearTimeout(retryTimer);
    unsubscribe();
  };
}

const LIST_REFETCH_DELAY_MS = 300;

/** The app's one stream: every event goes into the query cache (see cache-rules.ts), then to the listeners. */
export function startLiveStream(
  queryClient: QueryClient,
  callbacks: Pick<FollowOptions, 'onHead' | 'onUnauthorized'>,
): () => void {
  let listTimer: number | undefined;

  // A burst of events refetches the lists once.
  const refetchListsSoon = () => {
    window.clearTimeout(listTimer);
    listTimer = window.setTimeout(
      () => void queryClient.invalidateQueries({ queryKey: trpc.clients.list.pathKey() }),
      LIST_REFETCH_DELAY_MS,
    );
  };

  const apply = (event: LiveEvent) => {
    const pages = queryClient.getQueriesData<{ items: { id: number }[] }>({ queryKey: trpc.clients.list.pathKey() });
    const plan = planFor(event, idsOnPages(pages.map(([, data]) => data)));
    if (plan.patch) {
      const { id, values } = plan.patch;
      queryClient.setQueryData(trpc.clients.get.queryKey({ id }), (cached) =>
        cached ? patchClient(cached, values) : cached,
      );
    }
    for (const queryKey of plan.invalidate) void queryClient.invalidateQueries({ queryKey });
    if (plan.refetchLists) refetchListsSoon();
    for (const listener of listeners) listener(event);
  };

  const stop = followLog({ after: null, onEvent: apply, ...callbacks });
  return () => {
    window.clearTimeout(listTimer);
    stop();
  };
}

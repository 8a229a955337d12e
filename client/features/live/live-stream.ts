import type { QueryClient } from '@tanstack/react-query';
import { eventsIn } from '../../../shared/live';
import { errorCode, trpc, trpcClient } from '../../lib/trpc';
import { idsOnPages, type LiveEvent, patchClient, planFor, type QueryKeyPrefix } from './cache-rules';
import { createListRefetcher, type OpenList } from './list-refetch';

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
          for (const event of eventsIn(data)) {
            if (lastSeq !== null && event.seq <= lastSeq) continue;
            lastSeq = event.seq;
            options.onEvent(event);
          }
          if (data.kind === 'head') {
            lastSeq = Math.max(lastSeq ?? 0, data.seq);
            options.onHead(data.seq);
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
  // Each open list refetches only for changes that can affect it, at most once per window (see list-refetch.ts).
  const lists = createListRefetcher<string>((hashes) => {
    for (const hash of hashes) {
      const query = queryClient.getQueryCache().get(hash);
      if (query) void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
    }
  }, LIST_REFETCH_DELAY_MS);
  const openLists = (): OpenList<string>[] =>
    queryClient
      .getQueryCache()
      .findAll({ queryKey: trpc.clients.list.pathKey() })
      .map((query) => ({
        key: query.queryHash,
        input: ((query.queryKey[1] as { input?: OpenList['input'] } | undefined)?.input ?? {}) as OpenList['input'],
        ids: idsOnPages([query.state.data as { items: { id: number }[] } | undefined]),
      }));

  // The monitor's charts: a bulk status change of thousands of clients asks for the counts once, and a steady
  // stream of changes at most every LIST_REFETCH_DELAY_MS (the timer is not pushed back by later events).
  const aggregates = new Map<string, QueryKeyPrefix>();
  let aggregateTimer: number | undefined;
  const refetchAggregatesSoon = (keys: readonly QueryKeyPrefix[]) => {
    for (const key of keys) aggregates.set(JSON.stringify(key), key);
    aggregateTimer ??= window.setTimeout(() => {
      aggregateTimer = undefined;
      for (const queryKey of aggregates.values()) void queryClient.invalidateQueries({ queryKey });
      aggregates.clear();
    }, LIST_REFETCH_DELAY_MS);
  };

  const apply = (event: LiveEvent) => {
    const plan = planFor(event);
    if (plan.patch) {
      const { id, values } = plan.patch;
      queryClient.setQueryData(trpc.clients.get.queryKey({ id }), (cached) =>
        cached ? patchClient(cached, values) : cached,
      );
    }
    for (const queryKey of plan.invalidate) void queryClient.invalidateQueries({ queryKey });
    lists.onEvent(event, openLists());
    if (plan.refetchAggregates.length > 0) refetchAggregatesSoon(plan.refetchAggregates);
    for (const listener of listeners) listener(event);
  };

  const stop = followLog({ after: null, onEvent: apply, ...callbacks });
  return () => {
    lists.stop();
    window.clearTimeout(aggregateTimer);
    stop();
  };
}

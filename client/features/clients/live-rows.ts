import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientListInput } from '../../../shared/client-schema';
import type { LiveEvent } from '../live/cache-rules';
import { affectsList } from '../live/list-refetch';
import { onLiveEvent } from '../live/live-stream';

/** How long a changed row stays marked: it covers the list's refetch, so a client that enters is marked too. */
const HIGHLIGHT_MS = 3_000;
/** Remote changes are announced together, once a burst (a bulk action) is over. */
const ANNOUNCE_AFTER_MS = 1_000;

/** Events that leave a row to highlight (a deleted client leaves the list instead). */
const ROW_EVENTS = new Set<LiveEvent['type']>(['client.created', 'client.updated', 'client.status', 'client.restored']);

interface LiveRows {
  /** Ids of the rows someone else changed a moment ago. */
  changed: ReadonlySet<number>;
  /** The last announcement of others' changes to this list, for a polite live region. */
  message: string;
}

/** Marks rows other people change and announces their changes to this list (its search, filters and page). */
export function useLiveRows(input: ClientListInput, shownIds: readonly number[], myId: number): LiveRows {
  const { t } = useTranslation();
  const [changed, setChanged] = useState<ReadonlySet<number>>(new Set());
  const [message, setMessage] = useState('');
  // Read by the listener, which stays subscribed while the list changes.
  const list = useRef({ input, ids: new Set(shownIds) });
  list.current = { input, ids: new Set(shownIds) };

  useEffect(() => {
    const timers = new Set<number>();
    const later = (work: () => void, ms: number) => {
      const timer = window.setTimeout(() => {
        timers.delete(timer);
        work();
      }, ms);
      timers.add(timer);
    };
    let burst: LiveEvent[] = [];

    const stop = onLiveEvent((event) => {
      if (event.actorId === myId || !affectsList(event, { key: null, ...list.current })) return;
      if (ROW_EVENTS.has(event.type)) {
        setChanged((current) => new Set(current).add(event.clientId));
        later(
          () =>
            setChanged((current) => {
              const next = new Set(current);
              next.delete(event.clientId);
              return next;
            }),
          HIGHLIGHT_MS,
        );
      }
      if (burst.length === 0) {
        later(() => {
          const actors = new Set(burst.map((item) => item.actorName));
          const clients = new Set(burst.map((item) => item.clientId)).size;
          const [first] = burst;
          setMessage(
            clients === 1 && actors.size === 1 && first
              ? t('listLive.changedOne', { actor: first.actorName })
              : t('listLive.changedMany', { count: clients }),
          );
          burst = [];
        }, ANNOUNCE_AFTER_MS);
      }
      burst.push(event);
    });
    return () => {
      stop();
      for (const timer of timers) window.clearTimeout(timer);
    };
  }, [myId, t]);

  return { changed, message };
}

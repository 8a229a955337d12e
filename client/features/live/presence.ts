import { type FocusEvent, useEffect, useState } from 'react';
import type { CardViewer } from '../../../server/presence/service';
import { trpcClient } from '../../lib/trpc';

export type { CardViewer };

/** This tab's id for presence: one per page load. */
export const TAB_ID = crypto.randomUUID();

const HEARTBEAT_MS = 10_000;

// Presence calls go out one after another: leaving card A and arriving on card B happen in the same moment, and
// sent together they would race on the server, which could drop this tab from B until the next heartbeat.
let pending: Promise<unknown> = Promise.resolve();
function inOrder(call: () => Promise<unknown>): void {
  pending = pending.then(call).catch(() => {});
}

/**
 * Who else is on the cards: for one card (`clientId`) or for every card (null). Viewers of this tab and of the
 * signed-in user's other tabs are left out. Returns the viewers by client id.
 */
export function usePresence(clientId: number | null, myUserId: number): ReadonlyMap<number, CardViewer[]> {
  const [cards, setCards] = useState<ReadonlyMap<number, CardViewer[]>>(new Map());
  useEffect(() => {
    const subscription = trpcClient.presence.watch.subscribe(
      { clientId, tabId: TAB_ID },
      {
        onData: (snapshots) => {
          setCards((current) => {
            // One card's snapshot replaces that card; the all-cards snapshot lists every card that has viewers.
            const next = new Map(clientId === null ? [] : current);
            for (const card of snapshots) {
              const others = card.viewers.filter((viewer) => viewer.userId !== myUserId);
              if (others.length > 0) next.set(card.clientId, others);
              else next.delete(card.clientId);
            }
            if (clientId !== null && snapshots.length === 0) next.delete(clientId);
            return next;
          });
        },
      },
    );
    return () => subscription.unsubscribe();
  }, [clientId, myUserId]);
  return cards;
}

/**
 * Tells the others this tab is on the card, and in which field: at once, every HEARTBEAT_MS, and on each focus
 * change; leaves when the card closes or the tab goes away.
 */
export function useAnnouncePresence(clientId: number, field: string | null): void {
  useEffect(() => {
    const beat = () => inOrder(() => trpcClient.presence.set.mutate({ clientId, tabId: TAB_ID, field }));
    beat();
    const timer = window.setInterval(beat, HEARTBEAT_MS);
    return () => window.clearInterval(timer);
  }, [clientId, field]);

  useEffect(() => {
    const leave = () => inOrder(() => trpcClient.presence.leave.mutate({ tabId: TAB_ID }));
    window.addEventListener('pagehide', leave);
    return () => {
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, []);
}

/** Focus handlers for a form's container: reports the name of the card field that has the focus, or null. */
export function fieldFocusHandlers(isCardField: (name: string) => boolean, onField: (field: string | null) => void) {
  const nameOf = (target: EventTarget | null) => {
    const name = target instanceof HTMLElement ? target.getAttribute('name') : null;
    return name && isCardField(name) ? name : null;
  };
  return {
    onFocus: (event: FocusEvent<HTMLElement>) => onField(nameOf(event.target)),
    onBlur: (event: FocusEvent<HTMLElement>) => {
      if (!event.currentTarget.contains(event.relatedTarget as Node | null)) onField(null);
    },
  };
}

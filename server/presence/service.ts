import type { EntityManager } from '@mikro-orm/knex';
import type { Actor } from '../auth/actor';
import { getClient } from '../clients/service';
import type { Viewer } from '../live/events';
import { pause, type Subscriber, Wakeup } from '../live/subscriber';
import type { PresenceEntry, PresenceStore } from './store';

export interface CardViewer {
  userId: number;
  name: string;
  tabId: string;
  field: string | null;
  since: Date;
  /** A portal user: the card can say "client portal user" next to the name. */
  portal: boolean;
}

/** The viewers of one card, as presence.watch sends them. */
export interface CardPresence {
  clientId: number;
  viewers: CardViewer[];
}

export interface PresenceSettings {
  /** Snapshots of one watch are sent at most this often; a burst of changes becomes one snapshot. */
  coalesceMs: number;
  /** How often an idle watch re-reads its session. */
  sessionCheckMs: number;
}

/**
 * Who appears to whom. Staff see everybody on every card, portal users included (flagged `portal`), since
 * knowing that the client itself is editing its card matters to whoever edits it too. A portal user sees only
 * its own card and on it only portal users: which staff member looks at a client's record is internal.
 */
function visibleTo(watcher: Viewer, entry: PresenceEntry): boolean {
  if (watcher.role !== 'client') return true;
  return entry.portal && entry.clientId === watcher.clientId;
}

function cardsFor(watcher: Viewer, entries: PresenceEntry[], clientId: number | null): CardPresence[] {
  const cards = new Map<number, CardViewer[]>(clientId === null ? [] : [[clientId, []]]);
  const ordered = entries
    .filter((entry) => visibleTo(watcher, entry))
    .sort((a, b) => a.since.getTime() - b.since.getTime() || a.userId - b.userId || a.tabId.localeCompare(b.tabId));
  for (const { clientId: card, userId, name, tabId, field, since, portal } of ordered) {
    cards.set(card, [...(cards.get(card) ?? []), { userId, name, tabId, field, since, portal }]);
  }
  return [...cards].sort(([a], [b]) => a - b).map(([card, viewers]) => ({ clientId: card, viewers }));
}

/**
 * Presence for one app: the store plus the tabs whose watch subscription is open. A tab's entry lives while it
 * sends heartbeats, and goes at once when its last watch ends (the tab closed or its socket dropped).
 */
export class Presence {
  private readonly openWatches = new Map<string, number>();

  constructor(
    readonly store: PresenceStore,
    private readonly settings: PresenceSettings,
  ) {}

  /** A heartbeat or a move to another field; `clientId` null means the tab left its card. */
  async set(
    em: EntityManager,
    actor: Actor,
    input: { clientId: number | null; tabId: string; field: string | null },
  ): Promise<void> {
    if (input.clientId === null) return this.store.leave(actor.id, input.tabId);
    // Only people who may see the card appear on it (NOT_FOUND as for a card that does not exist).
    await getClient(em, actor, input.clientId);
    await this.store.set({
      userId: actor.id,
      name: actor.name,
      portal: actor.role === 'client',
      tabId: input.tabId,
      clientId: input.clientId,
      field: input.field,
    });
  }

  leave(actor: Actor, tabId: string): Promise<void> {
    return this.store.leave(actor.id, tabId);
  }

  /**
   * Snapshots of one card's viewers (a one-element array), or of every card that has viewers: one at once,
   * then a fresh one whenever what the watcher may see changes. The caller has checked the card is visible.
   */
  async *watch(options: {
    subscriber: Subscriber;
    user: Viewer;
    clientId: number | null;
    tabId: string;
  }): AsyncGenerator<CardPresence[], void, void> {
    const { subscriber, clientId, tabId } = options;
    const { signal } = subscriber;
    const userId = options.user.id;
    let watcher = options.user;
    const tab = `${userId}/${tabId}`;
    this.openWatches.set(tab, (this.openWatches.get(tab) ?? 0) + 1);
    const wakeup = new Wakeup();
    const unsubscribe = this.store.subscribe((changed) => {
      if (clientId === null || changed.includes(clientId)) wakeup.notify();
    });
    try {
      let sent = '';
      let sentAt = 0;
      while (!signal.aborted) {
        const cards = cardsFor(watcher, await this.store.snapshot(clientId ?? undefined), clientId);
        const text = JSON.stringify(cards);
        if (text !== sent) {
          await subscriber.room();
          if (signal.aborted) return;
          sent = text;
          sentAt = Date.now();
          yield cards;
        }
        if (await wakeup.wait(this.settings.sessionCheckMs, signal)) {
          // Let a burst of changes settle into one snapshot.
          await pause(sentAt + this.settings.coalesceMs - Date.now(), signal);
        }
        if (!signal.aborted) watcher = await subscriber.user();
      }
    } finally {
      unsubscribe();
      const left = (this.openWatches.get(tab) ?? 1) - 1;
      if (left > 0) this.openWatches.set(tab, left);
      else {
        this.openWatches.delete(tab);
        await this.store.leave(userId, tabId);
      }
    }
  }
}

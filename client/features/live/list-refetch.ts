import type { ClientListInput } from '../../../shared/client-schema';
import type { LiveEvent } from './cache-rules';

/** One open `clients.list` query: its input and the ids of the clients on its loaded page. */
export interface OpenList<Key = unknown> {
  key: Key;
  input: Partial<ClientListInput>;
  ids: ReadonlySet<number>;
}

/** List filters that compare one client field with one value. */
const FIELD_FILTERS = ['status', 'categoryId', 'subcategoryId', 'country'] as const;

/** The fields the list's search looks in (server/clients/search.ts). */
const SEARCHED_FIELDS = ['name', 'email', 'companyName', 'taxNumber'];

/** Events that add a client to, or take one from, every set it matches. */
const MEMBERSHIP_EVENTS = new Set<LiveEvent['type']>(['client.created', 'client.deleted', 'client.restored']);

/**
 * Whether `event` can change what `list` shows: its rows, their order, or its total. Decided from the event's
 * changed fields alone, so a list refetches only when it may have to, and otherwise stays as it is:
 * - a client on the list's page: always (its row changes);
 * - a changed field the list filters on: only when the old or the new value matches (the client leaves or enters);
 *   when neither does, the client was outside the list before and after, whatever else changed;
 * - a changed field the list sorts or searches by: the client may move onto or off this page;
 * - created, deleted, restored: unless a filter rules the client out, the total moves;
 * - a project or contract event: for lists filtered by project or contract type.
 */
export function affectsList(event: LiveEvent, list: OpenList): boolean {
  if (list.ids.has(event.clientId)) return true;
  const { input } = list;
  const family = event.type.split('.')[0];
  if (family === 'project') return input.projectId !== undefined;
  if (family === 'contract') return input.contractTypeId !== undefined;
  if (family !== 'client') return false;

  for (const field of FIELD_FILTERS) {
    const wanted = input[field];
    const change = event.changes[field];
    if (wanted === undefined || !change) continue;
    if (change.before !== wanted && change.after !== wanted) return false;
  }
  if (MEMBERSHIP_EVENTS.has(event.type)) return true;
  const filtered = (field: string) =>
    (FIELD_FILTERS as readonly string[]).includes(field) &&
    input[field as (typeof FIELD_FILTERS)[number]] !== undefined;
  return Object.keys(event.changes).some(
    (field) =>
      filtered(field) ||
      field === (input.sort ?? 'createdAt') ||
      (Boolean(input.search) && SEARCHED_FIELDS.includes(field)),
  );
}

export interface Timers {
  set: (callback: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
}

/**
 * Coalesces list refetches: the first change that affects a list starts a window of `windowMs`; at its end that
 * list refetches once, however many changes came in between. The window is not pushed back by later changes, so a
 * steady stream (100 edits a second) still shows up, at most once per list per window.
 */
export function createListRefetcher<Key>(
  refetch: (keys: Key[]) => void,
  windowMs: number,
  timers: Timers = {
    set: (callback, ms) => setTimeout(callback, ms),
    clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
) {
  const pending = new Set<Key>();
  let timer: unknown;
  return {
    /** Marks the lists `event` can affect for a refetch at the end of the current window; answers them. */
    onEvent(event: LiveEvent, lists: readonly OpenList<Key>[]): Key[] {
      const affected = lists.filter((list) => affectsList(event, list)).map((list) => list.key);
      for (const key of affected) pending.add(key);
      if (pending.size > 0 && timer === undefined) {
        timer = timers.set(() => {
          timer = undefined;
          const keys = [...pending];
          pending.clear();
          refetch(keys);
        }, windowMs);
      }
      return affected;
    },
    stop() {
      if (timer !== undefined) timers.clear(timer);
      timer = undefined;
      pending.clear();
    },
  };
}

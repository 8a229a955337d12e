import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from './cache-rules';
import { affectsList, createListRefetcher, type OpenList } from './list-refetch';

function event(type: LiveEvent['type'], changes: LiveEvent['changes'] = {}, clientId = 7): LiveEvent {
  return { kind: 'event', seq: 1, clientId, type, actorId: 2, actorName: 'Anna', changes, at: new Date() };
}

const list = (input: OpenList['input'], ids: number[] = []): OpenList<string> => ({
  key: JSON.stringify(input),
  input,
  ids: new Set(ids),
});

const toInactive = { status: { before: 'active', after: 'inactive' } };
const toActive = { status: { before: 'inactive', after: 'active' } };

describe('affectsList', () => {
  it('refetches a list showing the changed client, whatever changed', () => {
    expect(affectsList(event('client.updated', { city: { before: 'A', after: 'B' } }), list({}, [7]))).toBe(true);
    expect(affectsList(event('note.added'), list({}, [7]))).toBe(true);
  });

  it('leaves a list alone when an edit touches nothing it filters, sorts or searches by', () => {
    const city = event('client.updated', { city: { before: 'A', after: 'B' } });
    expect(affectsList(city, list({}, [1, 2]))).toBe(false);
    expect(affectsList(city, list({ status: 'active', search: 'kow' }))).toBe(false);
    expect(affectsList(event('note.added'), list({ status: 'active' }))).toBe(false);
  });

  it('takes a client leaving or entering a status-filtered list, and ignores it for an unfiltered one', () => {
    expect(affectsList(event('client.status', toInactive), list({ status: 'active' }))).toBe(true);
    expect(affectsList(event('client.status', toActive), list({ status: 'active' }))).toBe(true);
    expect(affectsList(event('client.status', toActive), list({ status: 'inactive' }))).toBe(true);
    // Sorted by creation date and not filtered by status: neither its rows nor its total move.
    expect(affectsList(event('client.status', toActive), list({}))).toBe(false);
    // Sorted by status, the client may move onto this page.
    expect(affectsList(event('client.status', toActive), list({ sort: 'status' }))).toBe(true);
  });

  it('ignores a change that keeps the client outside the list before and after', () => {
    const recategorised = event('client.updated', {
      categoryId: { before: 2, after: 3 },
      status: { before: 'inactive', after: 'active' },
    });
    expect(affectsList(recategorised, list({ categoryId: 5, status: 'active' }))).toBe(false);
    expect(affectsList(recategorised, list({ categoryId: 3 }))).toBe(true);
    expect(
      affectsList(event('client.updated', { country: { before: 'DE', after: 'PL' } }), list({ country: 'PL' })),
    ).toBe(true);
  });

  it('takes a change to a searched field for a list with a search, and to the sorted field', () => {
    const renamed = event('client.updated', { name: { before: 'Ann', after: 'Anna Kowalska' } });
    expect(affectsList(renamed, list({ search: 'kow' }))).toBe(true);
    expect(affectsList(renamed, list({ sort: 'name' }))).toBe(true);
    expect(affectsList(renamed, list({ sort: 'email' }))).toBe(false);
  });

  it('takes created, deleted and restored clients unless a filter rules them out', () => {
    for (const type of ['client.created', 'client.deleted', 'client.restored'] as const) {
      expect(affectsList(event(type), list({}))).toBe(true);
      expect(affectsList(event(type), list({ status: 'active' }))).toBe(true);
    }
    const created = event('client.created', { status: { before: null, after: 'inactive' } });
    expect(affectsList(created, list({ status: 'active' }))).toBe(false);
  });

  it('takes project and contract events for lists filtered by project or contract type only', () => {
    expect(affectsList(event('project.added'), list({ projectId: 3 }))).toBe(true);
    expect(affectsList(event('project.added'), list({}))).toBe(false);
    expect(affectsList(event('contract.added'), list({ contractTypeId: 1 }))).toBe(true);
    expect(affectsList(event('contract.added'), list({ projectId: 3 }))).toBe(false);
  });
});

describe('500 open lists and 100 edits a second', () => {
  const WINDOW_MS = 300;
  const SECONDS = 10;

  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** 500 lists as 500 browsers hold them: a mix of filters, searches and sorts, each showing its page of 25. */
  function openLists(): OpenList<string>[] {
    const lists: OpenList<string>[] = [];
    for (let index = 0; index < 500; index++) {
      const input: OpenList['input'] = { page: 1 + (index % 4), pageSize: 25 };
      if (index % 5 === 0) input.status = index % 10 === 0 ? 'active' : 'inactive';
      if (index % 7 === 0) input.categoryId = 1 + (index % 3);
      if (index % 11 === 0) input.search = `term${index}`;
      if (index % 13 === 0) input.sort = 'name';
      // Pages of 25 over clients 1..100,000, each list somewhere else.
      const first = 1 + ((index * 197) % 99_975);
      const ids = Array.from({ length: 25 }, (_, row) => first + row);
      lists.push({ key: `list-${index}`, input, ids: new Set(ids) });
    }
    return lists;
  }

  /** The edits a busy team makes: mostly plain field edits, some status changes, some new clients. */
  function edit(sequence: number): LiveEvent {
    const clientId = 1 + ((sequence * 7919) % 100_000);
    if (sequence % 10 === 0) return event('client.status', sequence % 20 ? toActive : toInactive, clientId);
    if (sequence % 25 === 1) {
      const created = { status: { before: null, after: 'active' }, categoryId: { before: null, after: 1 } };
      return event('client.created', created, clientId);
    }
    if (sequence % 9 === 2) return event('client.updated', { categoryId: { before: 1, after: 2 } }, clientId);
    return event('client.updated', { city: { before: 'A', after: `City ${sequence}` } }, clientId);
  }

  it('refetches each list at most once per window, and never a list no change could affect', () => {
    const lists = openLists();
    const refetches = new Map<string, number>();
    const refetcher = createListRefetcher<string>((keys) => {
      for (const key of keys) refetches.set(key, (refetches.get(key) ?? 0) + 1);
    }, WINDOW_MS);

    const affectedBy = new Map<string, number>();
    let sequence = 0;
    for (let tick = 0; tick < SECONDS * 100; tick++) {
      for (const key of refetcher.onEvent(edit(sequence++), lists)) {
        affectedBy.set(key, (affectedBy.get(key) ?? 0) + 1);
      }
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(WINDOW_MS);
    refetcher.stop();

    const windows = Math.ceil((SECONDS * 1000) / WINDOW_MS) + 1;
    const total = [...refetches.values()].reduce((sum, count) => sum + count, 0);
    // Without the rules every list would refetch for every event: 500 x 1000 queries.
    expect(total).toBeLessThanOrEqual(lists.length * windows);
    for (const list of lists) {
      const count = refetches.get(list.key) ?? 0;
      expect(count).toBeLessThanOrEqual(windows);
      // A list refetches when, and only when, some change could affect it.
      expect(count > 0).toBe(affectedBy.has(list.key));
      expect(count).toBeLessThanOrEqual(affectedBy.get(list.key) ?? 0);
    }
    // Lists of another category than the edits touch get none (unless one of their own rows changed).
    const quiet = lists.filter((list) => !affectedBy.has(list.key));
    expect(quiet.length).toBeGreaterThan(0);
    expect(quiet.every((list) => (refetches.get(list.key) ?? 0) === 0)).toBe(true);
  });

  it('turns a burst of 1,000 changes to one list into one refetch', () => {
    const lists = [list({ status: 'active' })];
    const refetch = vi.fn();
    const refetcher = createListRefetcher<string>(refetch, WINDOW_MS);
    for (let index = 0; index < 1_000; index++) refetcher.onEvent(event('client.status', toInactive, index), lists);
    expect(refetch).not.toHaveBeenCalled();
    vi.advanceTimersByTime(WINDOW_MS);
    expect(refetch).toHaveBeenCalledTimes(1);
    expect(refetch).toHaveBeenCalledWith([lists[0]?.key]);
    vi.advanceTimersByTime(WINDOW_MS * 10);
    expect(refetch).toHaveBeenCalledTimes(1);
  });
});

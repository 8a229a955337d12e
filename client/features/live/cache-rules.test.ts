import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { describe, expect, it } from 'vitest';
import type { AppRouter } from '../../../server/app-router';
import { idsOnPages, type LiveEvent, patchClient, planFor, type QueryKeyPrefix } from './cache-rules';

function event(type: LiveEvent['type'], changes: LiveEvent['changes'] = {}, clientId = 7): LiveEvent {
  return { kind: 'event', seq: 1, clientId, type, actorId: 2, actorName: 'Anna', changes, at: new Date() };
}

describe('planFor', () => {
  it('patches the open client with the after values and then refetches it for its exact version', () => {
    const plan = planFor(event('client.updated', { companyName: { before: 'Old', after: 'New' } }));
    expect(plan.patch).toEqual({ id: 7, values: { companyName: 'New' } });
    expect(plan.invalidate).toContainEqual([['clients', 'get'], { input: { id: 7 }, type: 'query' }]);
  });

  it('refreshes the notes of that client only, not the client itself', () => {
    const plan = planFor(event('note.added', { id: { before: null, after: 3 } }));
    expect(plan.patch).toBeNull();
    expect(plan.invalidate).toContainEqual([['notes', 'list'], { input: { clientId: 7 }, type: 'query' }]);
    expect(plan.invalidate).not.toContainEqual([['clients', 'get'], { input: { id: 7 }, type: 'query' }]);
  });

  it('refreshes the files and the client (photo, logo) on a file event', () => {
    const plan = planFor(event('file.deleted', { id: { before: 4, after: null } }));
    expect(plan.invalidate).toContainEqual([['files', 'list'], { input: { clientId: 7 }, type: 'query' }]);
    expect(plan.invalidate).toContainEqual([['clients', 'get'], { input: { id: 7 }, type: 'query' }]);
  });

  it('refreshes projects and contracts on their events', () => {
    expect(planFor(event('project.renamed')).invalidate).toContainEqual([['projects', 'list']]);
    expect(planFor(event('contract.added')).invalidate).toContainEqual([
      ['contracts', 'list'],
      { input: { clientId: 7 }, type: 'query' },
    ]);
  });

  it('refreshes the card’s activity chart with its history, and the monitor’s charts only when their counts move', () => {
    const chart: QueryKeyPrefix = [['activity', 'clientActivityPerDay'], { input: { clientId: 7 }, type: 'query' }];
    const statusChart: QueryKeyPrefix = [['activity', 'statusChangesPerDay']];
    const breakdown: QueryKeyPrefix = [['clients', 'breakdown']];
    expect(planFor(event('note.added')).invalidate).toContainEqual(chart);
    expect(planFor(event('note.added')).refetchAggregates).toEqual([]);
    expect(planFor(event('client.updated', { city: { before: 'A', after: 'B' } })).refetchAggregates).toEqual([]);
    expect(planFor(event('client.status')).refetchAggregates).toEqual([statusChart, breakdown]);
    // An edit that changed the status along with other fields is a status change too.
    const withStatus = event('client.updated', {
      status: { before: 'active', after: 'inactive' },
      city: { before: 'A', after: 'B' },
    });
    expect(planFor(withStatus).refetchAggregates).toEqual([statusChart, breakdown]);
    for (const field of ['categoryId', 'country']) {
      const moved = event('client.updated', { [field]: { before: null, after: 'X' } });
      expect(planFor(moved).refetchAggregates).toEqual([breakdown]);
    }
    for (const type of ['client.created', 'client.deleted', 'client.restored'] as const) {
      expect(planFor(event(type)).refetchAggregates).toEqual([breakdown]);
    }
  });

  it('refreshes the history of the client the event is about, whatever its type', () => {
    for (const type of ['client.updated', 'note.deleted', 'contract.updated'] as const) {
      expect(planFor(event(type, {}, 9)).invalidate).toContainEqual([
        ['activity', 'history'],
        { input: { clientId: 9 } },
      ]);
    }
  });
});

describe('patchClient', () => {
  it('writes only the fields the cached client holds', () => {
    const cached = { id: 7, companyName: 'Old', city: 'Kraków' };
    expect(patchClient(cached, { companyName: 'New', secret: 'x' })).toEqual({
      id: 7,
      companyName: 'New',
      city: 'Kraków',
    });
  });

  it('returns the same object when nothing applies, so React does not re-render', () => {
    const cached = { id: 7 };
    expect(patchClient(cached, { other: 1 })).toBe(cached);
  });
});

describe('idsOnPages', () => {
  it('collects the ids of every loaded page and skips pages still loading', () => {
    expect([...idsOnPages([{ items: [{ id: 1 }, { id: 2 }] }, undefined, { items: [{ id: 5 }] }])]).toEqual([1, 2, 5]);
  });
});

describe('the plan against the query keys the app really uses', () => {
  it('reaches the History tab (an infinite query), the notes and the open card, and nothing of another client', async () => {
    const cache = new QueryClient();
    // The app's key builder; no link is needed to build keys (the app's own client needs a browser WebSocket).
    const trpc = createTRPCOptionsProxy<AppRouter>({
      client: createTRPCClient<AppRouter>({ links: [] }),
      queryClient: cache,
    });
    const keys = {
      history: trpc.activity.history.infiniteQueryKey({ clientId: 7 }),
      notes: trpc.notes.list.queryKey({ clientId: 7 }),
      card: trpc.clients.get.queryKey({ id: 7 }),
      otherNotes: trpc.notes.list.queryKey({ clientId: 8 }),
    };
    for (const key of Object.values(keys)) cache.setQueryData(key as readonly unknown[], {});

    for (const type of ['note.added', 'client.updated'] as const) {
      for (const queryKey of planFor(event(type)).invalidate) {
        await cache.invalidateQueries({ queryKey });
      }
    }

    const invalidated = (key: readonly unknown[]) => cache.getQueryState(key)?.isInvalidated;
    expect(invalidated(keys.history)).toBe(true);
    expect(invalidated(keys.notes)).toBe(true);
    expect(invalidated(keys.card)).toBe(true);
    expect(invalidated(keys.otherNotes)).toBe(false);
  });
});

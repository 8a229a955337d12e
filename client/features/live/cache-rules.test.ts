import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { describe, expect, it } from 'vitest';
import type { AppRouter } from '../../../server/app-router';
import { idsOnPages, type LiveEvent, patchClient, planFor } from './cache-rules';

function event(type: LiveEvent['type'], changes: LiveEvent['changes'] = {}, clientId = 7): LiveEvent {
  return { kind: 'event', seq: 1, clientId, type, actorId: 2, actorName: 'Anna', changes, at: new Date() };
}

const nothingLoaded = new Set<number>();

describe('planFor', () => {
  it('patches the open client with the after values and then refetches it for its exact version', () => {
    const plan = planFor(event('client.updated', { companyName: { before: 'Old', after: 'New' } }), nothingLoaded);
    expect(plan.patch).toEqual({ id: 7, values: { companyName: 'New' } });
    expect(plan.invalidate).toContainEqual([['clients', 'get'], { input: { id: 7 }, type: 'query' }]);
  });

  it('leaves the lists alone when an edited client is on no loaded page', () => {
    const plan = planFor(event('client.updated', { city: { before: 'A', after: 'B' } }), new Set([1, 2]));
    expect(plan.refetchLists).toBe(false);
  });

  it('refetches the lists when the edited client is on a loaded page', () => {
    const plan = planFor(event('client.updated', { city: { before: 'A', after: 'B' } }), new Set([7]));
    expect(plan.refetchLists).toBe(true);
  });

  it.each(['client.created', 'client.deleted', 'client.restored', 'client.status'] as const)(
    'refetches the lists on %s, which can change what a list holds or its total',
    (type) => {
      expect(planFor(event(type), nothingLoaded).refetchLists).toBe(true);
    },
  );

  it('refreshes the notes of that client only, not the client itself', () => {
    const plan = planFor(event('note.added', { id: { before: null, after: 3 } }), nothingLoaded);
    expect(plan.patch).toBeNull();
    expect(plan.invalidate).toContainEqual([['notes', 'list'], { input: { clientId: 7 }, type: 'query' }]);
    expect(plan.invalidate).not.toContainEqual([['clients', 'get'], { input: { id: 7 }, type: 'query' }]);
  });

  it('refreshes the files and the client (photo, logo) on a file event', () => {
    const plan = planFor(event('file.deleted', { id: { before: 4, after: null } }), nothingLoaded);
    expect(plan.invalidate).toContainEqual([['files', 'list'], { input: { clientId: 7 }, type: 'query' }]);
    expect(plan.invalidate).toContainEqual([['clients', 'get'], { input: { id: 7 }, type: 'query' }]);
  });

  it('refreshes projects and contracts on their events', () => {
    expect(planFor(event('project.renamed'), nothingLoaded).invalidate).toContainEqual([['projects', 'list']]);
    expect(planFor(event('contract.added'), nothingLoaded).invalidate).toContainEqual([
      ['contracts', 'list'],
      { input: { clientId: 7 }, type: 'query' },
    ]);
  });

  it('refreshes the history of the client the event is about, whatever its type', () => {
    for (const type of ['client.updated', 'note.deleted', 'contract.updated'] as const) {
      expect(planFor(event(type, {}, 9), nothingLoaded).invalidate).toContainEqual([
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
      for (const queryKey of planFor(event(type), nothingLoaded).invalidate) {
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

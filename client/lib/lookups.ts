import { useQuery } from '@tanstack/react-query';
import { trpc } from './trpc';

const LONG = 5 * 60_000;

export function useCategories(enabled = true) {
  return useQuery({ ...trpc.lookups.categories.queryOptions(), staleTime: LONG, enabled });
}

export function useSubcategories(categoryId: number | undefined, enabled = true) {
  return useQuery({
    ...trpc.lookups.subcategories.queryOptions(categoryId ? { categoryId } : {}),
    staleTime: LONG,
    enabled,
  });
}

/** Every listed client's projects, for the list's project filter; a client's own come from the card's panel. */
export function useProjects(enabled = true) {
  return useQuery({ ...trpc.projects.list.queryOptions({}), staleTime: LONG, enabled });
}

export function useContractTypes(enabled = true) {
  return useQuery({ ...trpc.lookups.contractTypes.queryOptions(), staleTime: LONG, enabled });
}

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

export function useProjects(enabled = true) {
  return useQuery({ ...trpc.lookups.projects.queryOptions(), staleTime: LONG, enabled });
}

export function useContractTypes(enabled = true) {
  return useQuery({ ...trpc.lookups.contractTypes.queryOptions(), staleTime: LONG, enabled });
}

import { useQuery } from '@tanstack/react-query';
import { can, type Permission } from '../../shared/permissions';
import { type SessionUser, trpc } from './trpc';

export function useSession() {
  return useQuery({ ...trpc.auth.me.queryOptions(), staleTime: 5 * 60_000 });
}

/** The signed-in user; only use below the app's sign-in guard. */
export function useUser(): SessionUser {
  const { data } = useSession();
  if (!data) throw new Error('useUser needs a signed-in user');
  return data;
}

export function useCan(): (permission: Permission) => boolean {
  const user = useUser();
  return (permission) => can(user.role, permission);
}

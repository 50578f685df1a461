import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { Role, Schemas, User, UserPage } from '@/types/api';

import { adminKeys } from './query-keys';

export const USERS_PAGE = 25;
export type UserCreateInput = Schemas['UserCreateIn'];

/** Users of one role if given, whose name or email starts with `q`, searched on the server, page by page. */
export const usersOptions = ({ role, q = '' }: { role?: Role; q?: string }) =>
  infiniteQueryOptions({
    queryKey: adminKeys.users({ role, q }),
    queryFn: async ({ pageParam }) =>
      (await api.get<UserPage>('/users', { params: { limit: USERS_PAGE, role, q: q || undefined, cursor: pageParam ?? undefined } })).data,
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    placeholderData: keepPreviousData,
  });

export const useUsers = (filters: { role?: Role; q?: string } = {}) => useInfiniteQuery(usersOptions(filters));

function useRefreshUsers() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: [ROOT.admin, 'users'] });
    void queryClient.invalidateQueries({ queryKey: [ROOT.organizers] });
  };
}

/** An account of any role (admins). */
export function useCreateUser() {
  const onSuccess = useRefreshUsers();
  return useMutation({
    mutationFn: async (input: UserCreateInput) => (await api.post<User>('/users', input)).data,
    onSuccess,
  });
}

/** Change a role (admins; never their own: 409 CANNOT_CHANGE_OWN_ROLE). */
export function useSetRole() {
  const onSuccess = useRefreshUsers();
  return useMutation({
    mutationFn: async ({ userId, role }: { userId: string; role: Role }) =>
      (await api.patch<User>(`/users/${userId}`, { role } satisfies Schemas['RoleIn'])).data,
    onSuccess,
  });
}

/** End every session of a user: their tokens stop working (204). */
export function useRevokeSessions() {
  return useMutation({
    mutationFn: async (userId: string) => { await api.post(`/users/${userId}/sessions/revoke`); },
  });
}

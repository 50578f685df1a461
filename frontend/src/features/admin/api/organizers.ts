import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { EventChanged, Page, Role, User } from '@/types/api';

/** Hand an event to another organizer (admins): their rights start at that version. */
export function useTransferEvent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ eventId, organizerId }: { eventId: string; organizerId: string }) =>
      (await api.post<EventChanged>(`/events/${eventId}/transfer`, { organizer_id: organizerId })).data,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['admin'] });
      void queryClient.invalidateQueries({ queryKey: ['events'] });
    },
  });
}

/** Users (admins), of one role if given, whose name or email starts with `q` (searched on the server). */
export const useUsers = ({ role, q = '' }: { role?: Role; q?: string } = {}) =>
  useQuery({
    queryKey: ['admin', 'users', role ?? 'all', q],
    queryFn: async () => (await api.get<Page<User>>('/users', { params: { limit: 100, role, q: q || undefined } })).data,
    placeholderData: keepPreviousData,
  });

/** Grant or revoke a role (admins). */
export function useSetRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ userId, role }: { userId: string; role: Role }) =>
      (await api.patch<User>(`/users/${userId}`, { role })).data,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
      void queryClient.invalidateQueries({ queryKey: ['organizers'] });
    },
  });
}

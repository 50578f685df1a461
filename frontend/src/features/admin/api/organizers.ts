import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { EventChanged, Organizer, Page, Role, User } from '@/types/api';

/** Every organizer account (public: organizers' names are on their events). */
export const useOrganizers = () =>
  useQuery({
    queryKey: ['organizers'],
    queryFn: async () => (await api.get<Page<Organizer>>('/organizers', { params: { limit: 100 } })).data.items,
  });

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

/** Users (admins), of one role if given. */
export const useUsers = (role?: Role) =>
  useQuery({
    queryKey: ['admin', 'users', role ?? 'all'],
    queryFn: async () => (await api.get<Page<User>>('/users', { params: { limit: 100, role } })).data.items,
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

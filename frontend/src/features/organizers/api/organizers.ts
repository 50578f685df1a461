import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { EventChanged, Organizer, Page } from '@/types/api';

/** An organizer's public profile (404 ORGANIZER_NOT_FOUND for any other account). */
export const useOrganizer = (organizerId: string) =>
  useQuery({
    queryKey: ['organizers', organizerId],
    queryFn: async () => (await api.get<Organizer>(`/organizers/${organizerId}`)).data,
  });

export const useAllOrganizers = () =>
  useQuery({
    queryKey: ['organizers'],
    queryFn: async () => (await api.get<Page<Organizer>>('/organizers', { params: { limit: 100 } })).data.items,
  });

function useRefresh() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['admin'] });
    void queryClient.invalidateQueries({ queryKey: ['events'] });
  };
}

/** Its organizers (or an admin) let another organizer run the event too. */
export function useAddCoOrganizer(eventId: string) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: async (userId: string) =>
      (await api.post<EventChanged>(`/events/${eventId}/organizers`, { user_id: userId })).data,
    onSuccess,
  });
}

export function useRemoveCoOrganizer(eventId: string) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: async (userId: string) => (await api.delete<EventChanged>(`/events/${eventId}/organizers/${userId}`)).data,
    onSuccess,
  });
}

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { EventChanged, Organizer, Page } from '@/types/api';

/** An organizer's public profile (404 ORGANIZER_NOT_FOUND for any other account). */
export const useOrganizer = (organizerId: string) =>
  useQuery({
    queryKey: ['organizers', organizerId],
    queryFn: async () => (await api.get<Organizer>(`/organizers/${organizerId}`)).data,
  });

/** How many organizers a picker shows for one search: type more of the name to narrow it. */
export const PICKER_PAGE = 20;

/** Organizers whose name starts with `q` (any case), searched on the server: admins and
 * organizers see every organizer account, also those who run no event yet. */
export const useOrganizerSearch = (q: string) =>
  useQuery({
    queryKey: ['organizers', 'search', q],
    queryFn: async () =>
      (await api.get<Page<Organizer>>('/organizers', { params: { q: q || undefined, limit: PICKER_PAGE } })).data,
    placeholderData: keepPreviousData,
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

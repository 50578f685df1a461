import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { EventChanged, EventOrganizers, InvitationPage, Organizer, Schemas } from '@/types/api';

import { organizerKeys } from './query-keys';

/** An organizer's public profile (404 ORGANIZER_NOT_FOUND for any other account). */
export const useOrganizer = (organizerId: string) =>
  useQuery({
    queryKey: organizerKeys.profile(organizerId),
    queryFn: async () => (await api.get<Organizer>(`/organizers/${organizerId}`)).data,
  });

function useRefresh() {
  const queryClient = useQueryClient();
  return () => {
    for (const root of [ROOT.admin, ROOT.events, ROOT.organizers]) void queryClient.invalidateQueries({ queryKey: [root] });
  };
}

/** Who runs the event now, with the invitations not answered yet (its organizers, admins). */
export const useEventOrganizers = (eventId: string) =>
  useQuery({
    queryKey: organizerKeys.event(eventId),
    queryFn: async () => (await api.get<EventOrganizers>(`/events/${eventId}/organizers`)).data,
  });

/** The invitations to co-organize an event that await the signed-in organizer's answer. */
export const useMyInvitations = (enabled: boolean) =>
  useQuery({
    queryKey: organizerKeys.invitations,
    queryFn: async () => (await api.get<InvitationPage>('/organizers/me/invitations', { params: { limit: 100 } })).data,
    enabled,
  });

/** The invited organizer accepts (they run the event, named on it, at once) or declines. */
export function useAnswerInvitation(userId: string) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: async ({ eventId, answer }: { eventId: string; answer: 'accept' | 'decline' }) =>
      (await api.post<EventChanged>(`/events/${eventId}/organizers/${userId}/${answer}`)).data,
    onSuccess,
  });
}

/** An admin makes another organizer a co-organizer at once; its organizer invites them. */
export function useAddCoOrganizer(eventId: string) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: async (userId: string) =>
      (await api.post<EventChanged>(`/events/${eventId}/organizers`, { user_id: userId } satisfies Schemas['CoOrganizerIn'])).data,
    onSuccess,
  });
}

/** Its organizer (or an admin) removes a co-organizer or withdraws an invitation; a co-organizer may step down. */
export function useRemoveCoOrganizer(eventId: string) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: async (userId: string) => (await api.delete<EventChanged>(`/events/${eventId}/organizers/${userId}`)).data,
    onSuccess,
  });
}

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { cursorPages } from '@/lib/cursor-pages';
import { ROOT } from '@/lib/react-query';
import type { Schemas } from '@/types/api';

export type BoxOffice = Schemas['BoxOfficeOut'];
export type Attendee = Schemas['AttendeeOut'];
export type AttendeePage = Schemas['AttendeePage'];
/** A ticket as the door sees it, after a check-in or its undoing. */
export type TicketAtDoor = Schemas['CheckInOut'];
/** A ticket already checked in, as the refusal of a second scan tells it. */
export type UsedTicket = Schemas['TicketAtDoor'];

/** An e-mail to a buyer (a confirmation with tickets, a cancellation, an offer...) and how sending it went. */
export type Message = Schemas['MessageOut'];
export type MessagePage = Schemas['MessagePage'];

export const ATTENDEES_PAGE = 50;
export const MESSAGES_PAGE = 20;

/** Every query key of the box office feature. */
export const boxOfficeKeys = {
  all: [ROOT.admin, 'box-office'] as const,
  office: (eventId: string) => [ROOT.admin, 'box-office', eventId, 'office'] as const,
  attendees: (eventId: string, q: string) => [ROOT.admin, 'box-office', eventId, 'attendees', q] as const,
  messages: (eventId: string) => [ROOT.admin, 'box-office', eventId, 'messages'] as const,
};

/** The event's messages to buyers, newest first, with how sending each went (its organizers and admins). */
export const useMessages = (eventId: string) =>
  useInfiniteQuery({
    ...cursorPages<MessagePage>(boxOfficeKeys.messages(eventId), `/events/${eventId}/messages`, MESSAGES_PAGE),
    refetchInterval: 30_000, // sending goes on in the background
  });

/** An event's seats, money and check-ins (its organizers, admins and auditors). */
export const useBoxOffice = (eventId: string) =>
  useQuery({
    queryKey: boxOfficeKeys.office(eventId),
    queryFn: async () => (await api.get<BoxOffice>(`/events/${eventId}/box-office`)).data,
    refetchInterval: 15_000, // the door keeps scanning on other devices
  });

/** An event's tickets with their holders, by name; `q` finds a name, an e-mail or a whole ticket code. */
export const useAttendees = (eventId: string, q: string) => {
  const options = cursorPages<AttendeePage>(boxOfficeKeys.attendees(eventId, q), `/events/${eventId}/attendees`, ATTENDEES_PAGE);
  return useInfiniteQuery({
    ...options,
    queryFn: async ({ pageParam }) =>
      (await api.get<AttendeePage>(`/events/${eventId}/attendees`, {
        params: { limit: ATTENDEES_PAGE, cursor: pageParam ?? undefined, q: q || undefined },
      })).data,
  });
};

function useDoor(method: 'post' | 'delete', eventId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (code: string) =>
      (await api.request<TicketAtDoor>({ method, url: `/tickets/${encodeURIComponent(code)}/check-in`, params: { event_id: eventId } })).data,
    // The box office and the list read the write's position (the client waits for it).
    onSettled: () => void queryClient.invalidateQueries({ queryKey: [ROOT.admin] }),
  });
}

/** Check a ticket in at this event's door: a ticket of another event is refused. */
export const useCheckInAt = (eventId: string) => useDoor('post', eventId);
/** Take a check-in back (a wrong scan): recorded as an event, the ticket live again. */
export const useUndoCheckIn = (eventId: string) => useDoor('delete', eventId);

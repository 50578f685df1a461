import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { EventChanged, LedgerEvent, Schemas } from '@/types/api';

import { adminKeys } from './query-keys';

export type CategoryInput = Schemas['CategoryIn'];
type EventCreate = Schemas['EventCreate'];
/** What the event editor sends: the API's EventCreate with every field the editor manages present, since on
 * an update null clears an optional field (no end, no per-person limit) where a left-out one stays as it was;
 * without the single-category shorthand (`total_seats`, `price`), as the editor always lists categories. */
export type EventInput = Required<Omit<EventCreate, 'total_seats' | 'price' | 'categories' | 'publish_at' | 'translations'>> & {
  categories: CategoryInput[];
  /** The name and description per language, every language's at once (on an update they replace those before). */
  translations: NonNullable<EventCreate['translations']>;
};

export async function createEvent(input: EventInput): Promise<EventChanged> {
  const { data } = await api.post<EventChanged>('/events', input satisfies EventCreate);
  return data;
}

export async function updateEvent(eventId: string, input: EventInput): Promise<EventChanged> {
  // A draft is published with its own command (POST /events/{id}/publish), never by an update.
  const { currency: _fixedAtCreation, published: _publishedApart, ...changes } = input;
  const { data } = await api.put<EventChanged>(`/events/${eventId}`, changes satisfies Schemas['EventUpdate']);
  return data;
}

/** Cancel an event (every booking refunded). A reason is optional, but an admin must give one once it started. */
export async function cancelEvent({ eventId, reason }: { eventId: string; reason?: string }): Promise<EventChanged> {
  const body = reason ? ({ reason } satisfies Schemas['CancelIn']) : undefined;
  const { data } = await api.post<EventChanged>(`/events/${eventId}/cancel`, body);
  return data;
}

/** Mark a started event completed (its organizer or an admin; 409 EVENT_NOT_STARTED before its start). */
export async function completeEvent(eventId: string): Promise<EventChanged> {
  const { data } = await api.post<EventChanged>(`/events/${eventId}/complete`);
  return data;
}

export function useInvalidateEvents() {
  const queryClient = useQueryClient();
  return () => {
    for (const root of [ROOT.admin, ROOT.events, ROOT.myBookings]) void queryClient.invalidateQueries({ queryKey: [root] });
  };
}

export function useSaveEvent(eventId?: string) {
  const invalidate = useInvalidateEvents();
  return useMutation({
    mutationFn: (input: EventInput) => (eventId ? updateEvent(eventId, input) : createEvent(input)),
    onSuccess: invalidate,
  });
}

export function useCancelEvent() {
  const invalidate = useInvalidateEvents();
  return useMutation({ mutationFn: cancelEvent, onSuccess: invalidate });
}

export function useCompleteEvent() {
  const invalidate = useInvalidateEvents();
  return useMutation({ mutationFn: completeEvent, onSuccess: invalidate });
}

/** The event as it is now (the editor checks capacities against what is sold). */
export const useAdminEvent = (eventId: string | undefined) =>
  useQuery({
    queryKey: adminKeys.event(eventId),
    queryFn: async () => (await api.get<LedgerEvent>(`/events/${eventId}`)).data,
    enabled: !!eventId,
    staleTime: 0,
    refetchOnMount: 'always',
  });


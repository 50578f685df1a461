import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { EventChanged, LedgerEvent, Schemas } from '@/types/api';

import { adminKeys } from './query-keys';

export type CategoryInput = Schemas['CategoryIn'];
export interface EventInput {
  name: string; description: string; venue: string; starts_at: string; ends_at: string | null;
  currency: string; max_tickets_per_user: number | null; categories: CategoryInput[];
  /** A checkout hold's length in seconds; null: the API's default. */
  hold_seconds: number | null;
}

export async function createEvent(input: EventInput): Promise<EventChanged> {
  const { data } = await api.post<EventChanged>('/events', input);
  return data;
}

export async function updateEvent(eventId: string, input: Omit<EventInput, 'currency'>): Promise<EventChanged> {
  const body: Record<string, unknown> = { ...input };
  delete body.currency; // fixed at creation
  // null clears an optional field (no end, no per-person limit); left out, it would stay as it was
  const { data } = await api.put<EventChanged>(`/events/${eventId}`, body);
  return data;
}

/** Cancel an event (every booking refunded). A reason is optional, but an admin must give one once it started. */
export async function cancelEvent({ eventId, reason }: { eventId: string; reason?: string }): Promise<EventChanged> {
  const { data } = await api.post<EventChanged>(`/events/${eventId}/cancel`, reason ? { reason } : undefined);
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

export type CheckIn = Schemas['CheckInOut'];

export function useCheckIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (code: string) => (await api.post<CheckIn>(`/tickets/${encodeURIComponent(code)}/check-in`)).data,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [ROOT.admin, 'bookings'] }),
  });
}

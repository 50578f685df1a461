import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Booking, EventChanged, LedgerEvent, Page } from '@/types/api';

export interface CategoryInput { name: string; price: string; capacity: number }
export interface EventInput {
  name: string; description: string; venue: string; starts_at: string; ends_at: string | null;
  currency: string; max_tickets_per_user: number | null; categories: CategoryInput[];
}

export async function createEvent(input: EventInput): Promise<EventChanged> {
  const { data } = await api.post<EventChanged>('/events', input);
  return data;
}

export async function updateEvent(eventId: string, input: Omit<EventInput, 'currency'>): Promise<EventChanged> {
  const body: Record<string, unknown> = { ...input };
  delete body.currency; // fixed at creation
  if (body.ends_at === null) delete body.ends_at; // the API refuses to null a field
  if (body.max_tickets_per_user === null) delete body.max_tickets_per_user;
  const { data } = await api.put<EventChanged>(`/events/${eventId}`, body);
  return data;
}

export async function cancelEvent(eventId: string): Promise<EventChanged> {
  const { data } = await api.post<EventChanged>(`/events/${eventId}/cancel`);
  return data;
}

function useInvalidateAdmin() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['admin'] });
    void queryClient.invalidateQueries({ queryKey: ['events'] });
  };
}

export function useSaveEvent(eventId?: string) {
  const invalidate = useInvalidateAdmin();
  return useMutation({
    mutationFn: (input: EventInput) => (eventId ? updateEvent(eventId, input) : createEvent(input)),
    onSuccess: invalidate,
  });
}

export function useCancelEvent() {
  const invalidate = useInvalidateAdmin();
  return useMutation({ mutationFn: cancelEvent, onSuccess: invalidate });
}

/** The event as it is now (the editor checks capacities against what is sold). */
export const useAdminEvent = (eventId: string | undefined) =>
  useQuery({
    queryKey: ['admin', 'event', eventId],
    queryFn: async () => (await api.get<LedgerEvent>(`/events/${eventId}`)).data,
    enabled: !!eventId,
    staleTime: 0,
    refetchOnMount: 'always',
  });

export const useEventBookings = (eventId: string) =>
  useQuery({
    queryKey: ['admin', 'event-bookings', eventId],
    queryFn: async () => {
      const items: Booking[] = [];
      let cursor: string | null = null;
      do {
        const { data }: { data: Page<Booking> } = await api.get<Page<Booking>>(`/events/${eventId}/bookings`, {
          params: { limit: 100, cursor: cursor ?? undefined },
        });
        items.push(...data.items);
        cursor = data.next_cursor;
      } while (cursor && items.length < 1000);
      return items;
    },
  });

export interface CheckIn { code: string; status: 'used'; event_id: string }

export function useCheckIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (code: string) => (await api.post<CheckIn>(`/tickets/${encodeURIComponent(code)}/check-in`)).data,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['admin', 'event-bookings'] }),
  });
}

import { useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { BookingPage } from '@/types/api';

import { eventKeys } from './query-keys';

/** How many confirmed tickets the user already holds on one event (for the per-user limit). */
export async function getMyTicketsOn(userId: string, eventId: string): Promise<number> {
  let cursor: string | null = null;
  let held = 0;
  do {
    const { data }: { data: BookingPage } = await api.get<BookingPage>(`/users/${userId}/bookings`, {
      params: { limit: 100, cursor: cursor ?? undefined },
    });
    held += data.items
      .filter((b) => b.event_id === eventId && b.status === 'confirmed')
      .reduce((sum, b) => sum + b.quantity, 0);
    cursor = data.next_cursor;
  } while (cursor);
  return held;
}

export const useMyTicketsOn = (userId: string | undefined, eventId: string) =>
  useQuery({
    queryKey: eventKeys.held(userId, eventId),
    queryFn: () => getMyTicketsOn(userId!, eventId),
    enabled: !!userId,
  });

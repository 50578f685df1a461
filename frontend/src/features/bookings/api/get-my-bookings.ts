import { infiniteQueryOptions, useInfiniteQuery, useQueries } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { BookingPage, LedgerEvent } from '@/types/api';

import { bookingKeys } from './query-keys';

export async function getUserBookings(userId: string, cursor?: string | null): Promise<BookingPage> {
  const { data } = await api.get<BookingPage>(`/users/${userId}/bookings`, {
    params: { limit: 20, cursor: cursor ?? undefined },
  });
  return data;
}

export const myBookingsQueryOptions = (userId: string) =>
  infiniteQueryOptions({
    queryKey: bookingKeys.list(userId),
    queryFn: ({ pageParam }) => getUserBookings(userId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });

export const useMyBookings = (userId: string) => useInfiniteQuery(myBookingsQueryOptions(userId));

/** Names and dates of the events the bookings are for (one request per distinct event). */
export function useBookedEvents(eventIds: string[]): Record<string, LedgerEvent | undefined> {
  const unique = [...new Set(eventIds)];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: bookingKeys.event(id),
      queryFn: async () => (await api.get<LedgerEvent>(`/events/${id}`)).data,
      staleTime: 60_000,
    })),
  });
  return Object.fromEntries(unique.map((id, i) => [id, results[i]?.data]));
}

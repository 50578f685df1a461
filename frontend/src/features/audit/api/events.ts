import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery, useQueries, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { EventPage, LedgerEvent } from '@/types/api';

import { auditKeys } from './query-keys';

export const EVENT_SEARCH_PAGE = 25;

/** Every event whose name or venue matches `q`, any status, searched on the server, page by page. */
export const eventSearchOptions = (q: string) =>
  infiniteQueryOptions({
    queryKey: auditKeys.eventSearch(q),
    queryFn: async ({ pageParam }) =>
      (await api.get<EventPage>('/events', {
        params: { q: q || undefined, status: 'all', limit: EVENT_SEARCH_PAGE, cursor: pageParam ?? undefined },
      })).data,
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    placeholderData: keepPreviousData,
  });

export const useEventSearch = (q: string) => useInfiniteQuery(eventSearchOptions(q));

/** One event as it is now (its name beside its bookings, history or exports). */
export const useAuditedEvent = (eventId: string | undefined) =>
  useQuery({
    queryKey: auditKeys.event(eventId ?? ''),
    queryFn: async () => (await api.get<LedgerEvent>(`/events/${eventId}`)).data,
    enabled: !!eventId,
  });

/** Names and currencies of the events some bookings are for (one request per distinct event). */
export function useEventsById(eventIds: string[]): Record<string, LedgerEvent | undefined> {
  const unique = [...new Set(eventIds)];
  const found = useQueries({
    queries: unique.map((id) => ({
      queryKey: auditKeys.event(id),
      queryFn: async () => (await api.get<LedgerEvent>(`/events/${id}`)).data,
      staleTime: 60_000,
    })),
  });
  return Object.fromEntries(unique.map((id, i) => [id, found[i]?.data]));
}

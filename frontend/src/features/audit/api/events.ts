import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { LedgerEvent, Page } from '@/types/api';

import { auditKeys } from './query-keys';

export const EVENT_SEARCH_PAGE = 25;

/** Every event whose name or venue matches `q`, any status, searched on the server, page by page. */
export const eventSearchOptions = (q: string) =>
  infiniteQueryOptions({
    queryKey: auditKeys.eventSearch(q),
    queryFn: async ({ pageParam }) =>
      (await api.get<Page<LedgerEvent>>('/events', {
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

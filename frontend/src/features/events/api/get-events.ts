import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { EventStatus, LedgerEvent, Page } from '@/types/api';

export interface EventFilters { q?: string; startsAfter?: string; startsBefore?: string; status?: EventStatus | ''; organizer?: string }

export async function getEvents(filters: EventFilters, cursor?: string | null): Promise<Page<LedgerEvent>> {
  const { data } = await api.get<Page<LedgerEvent>>('/events', {
    params: {
      q: filters.q || undefined,
      starts_after: filters.startsAfter || undefined,
      starts_before: filters.startsBefore || undefined,
      status: filters.status || undefined,
      organizer: filters.organizer || undefined,
      limit: 12,
      cursor: cursor ?? undefined,
    },
  });
  return data;
}

export const eventsQueryOptions = (filters: EventFilters) =>
  infiniteQueryOptions({
    queryKey: ['events', filters],
    queryFn: ({ pageParam }) => getEvents(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });

export const useEvents = (filters: EventFilters) => useInfiniteQuery(eventsQueryOptions(filters));

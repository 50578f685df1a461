import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { serverNow } from '@/lib/server-clock';
import type { EventPage, QueryOf } from '@/types/api';

import { eventKeys } from './query-keys';

/** Which events a list shows: on sale (the API's default), past, cancelled, or all. */
export type EventView = 'on-sale' | 'past' | 'cancelled' | 'all';
/** The list's views; `label` is its key in the events catalogue (`views.on-sale`: "On sale"). */
export const EVENT_VIEWS: { value: EventView; label: string }[] = [
  { value: 'on-sale', label: 'views.on-sale' },
  { value: 'past', label: 'views.past' },
  { value: 'cancelled', label: 'views.cancelled' },
  { value: 'all', label: 'views.all' },
];

export interface EventFilters { q?: string; startsAfter?: string; startsBefore?: string; view?: EventView; organizer?: string }

const later = (a: string | undefined, b: string) => (a && a > b ? a : b);
const earlier = (a: string | undefined, b: string) => (a && a < b ? a : b);

/**
 * The query parameters of a view. With no status and no dates the API lists what is on sale;
 * any status or date reaches every date, so "on sale" within dates asks for active events from now.
 */
export function viewParams(filters: EventFilters, now: string = new Date(serverNow()).toISOString()): QueryOf<'get_events'> {
  const { startsAfter: after, startsBefore: before } = filters;
  switch (filters.view ?? 'on-sale') {
    case 'past': return { status: 'all', starts_after: after, starts_before: earlier(before, now) };
    case 'cancelled': return { status: 'cancelled', starts_after: after, starts_before: before };
    case 'all': return { status: 'all', starts_after: after, starts_before: before };
    default:
      return after || before ? { status: 'active', starts_after: later(after, now), starts_before: before } : {};
  }
}

export async function getEvents(filters: EventFilters, cursor?: string | null): Promise<EventPage> {
  const { data } = await api.get<EventPage>('/events', {
    params: {
      q: filters.q || undefined,
      ...viewParams(filters),
      organizer: filters.organizer || undefined,
      limit: 12,
      cursor: cursor ?? undefined,
    } satisfies QueryOf<'get_events'>,
  });
  return data;
}

export const eventsQueryOptions = (filters: EventFilters) =>
  infiniteQueryOptions({
    queryKey: eventKeys.list(filters),
    queryFn: ({ pageParam }) => getEvents(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });

export const useEvents = (filters: EventFilters) => useInfiniteQuery(eventsQueryOptions(filters));

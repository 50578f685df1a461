import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

import { adminKeys } from './query-keys';

export type EventStats = Schemas['EventStats'];
/** Money of the events in one currency: never added to another currency's. */
export type CurrencyTotals = Schemas['CurrencyTotals'];
export type SalesDay = Schemas['SalesDay'];
export type Stats = Schemas['StatsOut'];

/** An admin's answer covers every event; an organizer's, the events they run. */
export async function getStats(eventId?: string, minPosition?: number): Promise<Stats> {
  const { data } = await api.get<Stats>('/admin/stats', { params: { event_id: eventId, min_position: minPosition } });
  return data;
}

export const statsQueryOptions = (eventId?: string, minPosition?: number) =>
  queryOptions({
    queryKey: adminKeys.stats(eventId, minPosition),
    queryFn: () => getStats(eventId, minPosition),
    refetchInterval: 15_000,
    placeholderData: keepPreviousData, // a live refresh keeps the figures on screen
  });

export const useStats = (eventId?: string, minPosition?: number) => useQuery(statsQueryOptions(eventId, minPosition));

import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { EventStatus } from '@/types/api';

export interface EventStats {
  id: string; name: string; status: EventStatus; currency: string;
  organizer_id: string | null; organizer_name: string | null;
  bookings: number; bookings_cancelled: number; tickets_sold: number; revenue: string; refunds: string; net: string;
}
/** Money of the events in one currency: never added to another currency's. */
export interface CurrencyTotals { currency: string; events: number; revenue: string; refunds: string; net: string }
export interface SalesDay { day: string; currency: string; bookings: number; tickets: number; revenue: string; refunds: string }
export interface Stats {
  events: EventStats[];
  totals: { events: number; bookings: number; bookings_cancelled: number; tickets_sold: number; money: CurrencyTotals[] };
  sales_over_time: SalesDay[];
  position: number;
}

/** An admin's answer covers every event; an organizer's, the events they run. */
export async function getStats(eventId?: string, minPosition?: number): Promise<Stats> {
  const { data } = await api.get<Stats>('/admin/stats', { params: { event_id: eventId, min_position: minPosition } });
  return data;
}

export const statsQueryOptions = (eventId?: string, minPosition?: number) =>
  queryOptions({
    queryKey: ['admin', 'stats', eventId ?? 'all', minPosition ?? 0],
    queryFn: () => getStats(eventId, minPosition),
    refetchInterval: 15_000,
    placeholderData: keepPreviousData, // a live refresh keeps the figures on screen
  });

export const useStats = (eventId?: string, minPosition?: number) => useQuery(statsQueryOptions(eventId, minPosition));

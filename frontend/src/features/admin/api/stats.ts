import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { EventStatus } from '@/types/api';

export interface EventStats {
  id: string; name: string; status: EventStatus; bookings: number; bookings_cancelled: number;
  tickets_sold: number; revenue: string; refunds: string; net: string;
}
export interface SalesDay { day: string; bookings: number; tickets: number; revenue: string; refunds: string }
export interface Stats {
  events: EventStats[];
  totals: Omit<EventStats, 'id' | 'name' | 'status'> & { events: number };
  sales_over_time: SalesDay[];
  position: number;
}

export async function getStats(eventId?: string): Promise<Stats> {
  const { data } = await api.get<Stats>('/admin/stats', { params: { event_id: eventId } });
  return data;
}

export const statsQueryOptions = (eventId?: string) =>
  queryOptions({ queryKey: ['admin', 'stats', eventId ?? 'all'], queryFn: () => getStats(eventId), refetchInterval: 15_000 });

export const useStats = (eventId?: string) => useQuery(statsQueryOptions(eventId));

import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { downloadFile } from '@/lib/download';

import { auditKeys } from './query-keys';

// NEW endpoint (/api/audit/revenue), not yet in sdk/openapi.json: these local types are to be
// replaced by the generated schemas once the document has them.
export type RevenueGroup = 'event' | 'organizer' | 'total';
export interface RevenueQuery {
  group: RevenueGroup;
  /** ISO times, with their zone; empty: from the first sale, up to now. */
  from?: string;
  to?: string;
  event_id?: string;
  organizer_id?: string;
}
interface Figures { currency: string; revenue: string; tickets_sold: number; bookings: number; cancellations: number; refunded: string }
export interface RevenueRow extends Figures { key: string; name: string }
export type RevenueTotal = Figures;
export interface RevenuePoint { day: string; currency: string; revenue: string; tickets_sold: number }
export interface RevenueReport {
  from: string | null; to: string | null; group: RevenueGroup;
  rows: RevenueRow[];
  /** One per currency: never summed across currencies. */
  totals: RevenueTotal[];
  series: RevenuePoint[];
}

const params = (query: RevenueQuery) => Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''));

export const useRevenue = (query: RevenueQuery) =>
  useQuery({
    queryKey: auditKeys.revenue(query),
    queryFn: async () => (await api.get<RevenueReport>('/audit/revenue', { params: params(query) })).data,
    placeholderData: keepPreviousData,
  });

/** The same report as CSV, saved as a file (the server names it). */
export const downloadRevenueCsv = (query: RevenueQuery) =>
  downloadFile('/audit/revenue.csv', { params: params(query), fallbackName: `revenue-${query.from?.slice(0, 10) ?? 'start'}-${query.to?.slice(0, 10) ?? 'now'}.csv` });

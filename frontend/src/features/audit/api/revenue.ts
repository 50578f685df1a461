import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';

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
  /** `offset` of the next page of rows (null: the last page). */
  next_offset?: number | null;
  /** One per currency: never summed across currencies. */
  totals: RevenueTotal[];
  series: RevenuePoint[];
}

const params = (query: RevenueQuery) => Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''));

/** The report; its rows come a page at a time (the totals and the chart with the first page). */
export function useRevenue(query: RevenueQuery) {
  const pages = useInfiniteQuery({
    queryKey: auditKeys.revenue(query),
    queryFn: async ({ pageParam }) =>
      (await api.get<RevenueReport>('/audit/revenue', { params: { ...params(query), offset: pageParam || undefined } })).data,
    initialPageParam: 0,
    getNextPageParam: (last) => last.next_offset ?? undefined,
    placeholderData: keepPreviousData,
  });
  const first = pages.data?.pages[0];
  const report: RevenueReport | undefined = first && { ...first, rows: pages.data!.pages.flatMap((p) => p.rows) };
  return { ...pages, report };
}

/** The same report as CSV, saved as a file (the server names it). */
export const downloadRevenueCsv = (query: RevenueQuery) =>
  downloadFile('/audit/revenue.csv', { params: params(query), fallbackName: `revenue-${query.from?.slice(0, 10) ?? 'start'}-${query.to?.slice(0, 10) ?? 'now'}.csv` });

import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { downloadFile } from '@/lib/download';
import type { QueryOf, Schemas } from '@/types/api';

import { auditKeys } from './query-keys';

export type RevenueReport = Schemas['RevenueReport'];
export type RevenueGroup = RevenueReport['group'];
export type RevenueRow = Schemas['RevenueRow'];
export type RevenuePoint = Schemas['RevenuePoint'];
/** What a report is asked for: ISO bounds of the period [from, to) with their zone (none: the API's default period). */
export type RevenueQuery = Pick<QueryOf<'get_revenue'>, 'from' | 'to' | 'event_id' | 'organizer_id'> & { group: RevenueGroup };

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

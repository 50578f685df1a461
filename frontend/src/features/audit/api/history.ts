import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Schemas, StoredEvent } from '@/types/api';

import { auditKeys } from './query-keys';

export type HistoryPage = Schemas['HistoryPage'];
export const HISTORY_PAGE = 100;

/** Where a page of a stream starts (after this version) and how many versions it holds. */
export interface HistoryCursor { after: number; limit: number }

export async function getHistoryPage(eventId: string, { after, limit }: HistoryCursor): Promise<HistoryPage> {
  const { data } = await api.get<HistoryPage>(`/audit/events/${eventId}/history`, { params: { after_version: after, limit } });
  return data;
}

/**
 * An event's stream a page at a time, from the version after `start` on; earlier pages load
 * backwards down to version 1 and later ones up to the head: no cap on the stream's length.
 */
export const historyOptions = (eventId: string, start: number) =>
  infiniteQueryOptions({
    queryKey: auditKeys.history(eventId, start),
    queryFn: ({ pageParam }) => getHistoryPage(eventId, pageParam),
    initialPageParam: { after: start, limit: HISTORY_PAGE } as HistoryCursor,
    getNextPageParam: (last): HistoryCursor | undefined =>
      last.next_cursor === null ? undefined : { after: last.next_cursor, limit: HISTORY_PAGE },
    getPreviousPageParam: (_first, _all, firstParam): HistoryCursor | undefined => {
      if (firstParam.after <= 0) return undefined;
      const after = Math.max(0, firstParam.after - HISTORY_PAGE);
      return { after, limit: firstParam.after - after };
    },
  });

/** The stream from after `start` (null: not known yet, nothing asked). */
export function useHistory(eventId: string, start: number | null) {
  const query = useInfiniteQuery({ ...historyOptions(eventId, start ?? 0), enabled: start !== null });
  const items: StoredEvent[] = query.data?.pages.flatMap((p) => p.items) ?? [];
  return { ...query, items };
}

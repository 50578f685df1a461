import { infiniteQueryOptions } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

/** A keyset-paged list read page by page: `limit` items each, a page naming the next one's cursor.
 * `P` is the list's page schema (BookingPage, UserPage, ...). */
export const cursorPages = <P extends { next_cursor: string | null }>(key: readonly unknown[], path: string, limit: number) =>
  infiniteQueryOptions({
    queryKey: key,
    queryFn: async ({ pageParam }) =>
      (await api.get<P>(path, { params: { limit, cursor: pageParam ?? undefined } })).data,
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });

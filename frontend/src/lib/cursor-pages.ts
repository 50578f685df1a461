import { infiniteQueryOptions } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Page } from '@/types/api';

/** A keyset-paged list read page by page: `limit` items each, a page naming the next one's cursor. */
export const cursorPages = <T>(key: readonly unknown[], path: string, limit: number) =>
  infiniteQueryOptions({
    queryKey: key,
    queryFn: async ({ pageParam }) =>
      (await api.get<Page<T>>(path, { params: { limit, cursor: pageParam ?? undefined } })).data,
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });

import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

import { webhookKeys } from './query-keys';

export type Webhook = Schemas['WebhookOut'];
export type WebhookPage = Schemas['WebhookPage'];

/** The caller's endpoints, oldest first (an admin's: everyone's), a page at a time. */
export async function getWebhooks(cursor?: string | null): Promise<WebhookPage> {
  const { data } = await api.get<WebhookPage>('/webhooks', { params: { limit: 20, cursor: cursor ?? undefined } });
  return data;
}

export const webhooksQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: webhookKeys.list(),
    queryFn: ({ pageParam }) => getWebhooks(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });

export const useWebhooks = () => useInfiniteQuery(webhooksQueryOptions());

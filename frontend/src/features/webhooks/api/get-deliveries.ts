import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

import { webhookKeys } from './query-keys';

export type Delivery = Schemas['DeliveryOut'];
export type DeliveryPage = Schemas['DeliveryPage'];

/** An endpoint's delivery log, latest log position first. */
export async function getDeliveries(webhookId: string, cursor?: string | null): Promise<DeliveryPage> {
  const { data } = await api.get<DeliveryPage>(`/webhooks/${webhookId}/deliveries`, { params: { limit: 20, cursor: cursor ?? undefined } });
  return data;
}

export const deliveriesQueryOptions = (webhookId: string) =>
  infiniteQueryOptions({
    queryKey: webhookKeys.deliveries(webhookId),
    queryFn: ({ pageParam }) => getDeliveries(webhookId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    // Pending deliveries move on their own (the sender's ticks): the log follows them while open.
    refetchInterval: 10_000,
  });

export const useDeliveries = (webhookId: string) => useInfiniteQuery(deliveriesQueryOptions(webhookId));

import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

import { webhookKeys } from './query-keys';

export type ReplayOut = Schemas['ReplayOut'];

/** Send the endpoint's deliveries at `fromPosition` and after again, in order (it enables a disabled endpoint too). */
export async function replayWebhook({ webhookId, fromPosition }: { webhookId: string; fromPosition: number }): Promise<ReplayOut> {
  const { data } = await api.post<ReplayOut>(`/webhooks/${webhookId}/replay`, { from_position: fromPosition } satisfies Schemas['ReplayIn']);
  return data;
}

export function useReplayWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: replayWebhook,
    onSuccess: (_, { webhookId }) => {
      void queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(webhookId) });
      void queryClient.invalidateQueries({ queryKey: webhookKeys.list() });
    },
  });
}

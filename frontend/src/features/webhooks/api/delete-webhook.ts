import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

import type { Webhook } from './get-webhooks';
import { webhookKeys } from './query-keys';

/** Deactivate an endpoint: nothing more is sent to it; its delivery log stays readable. */
export async function deleteWebhook(webhookId: string): Promise<Webhook> {
  const { data } = await api.delete<Webhook>(`/webhooks/${webhookId}`);
  return data;
}

export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteWebhook,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: webhookKeys.list() }),
  });
}

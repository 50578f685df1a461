import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

import { webhookKeys } from './query-keys';

export type WebhookIn = Schemas['WebhookIn'];
/** The endpoint just registered, with its signing secret: the only answer that shows it. */
export type WebhookCreated = Schemas['WebhookCreated'];

export async function createWebhook(body: WebhookIn): Promise<WebhookCreated> {
  const { data } = await api.post<WebhookCreated>('/webhooks', body);
  return data;
}

export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createWebhook,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: webhookKeys.list() }),
  });
}

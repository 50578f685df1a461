import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

import { webhookKeys } from './query-keys';

/** The event types an endpoint may subscribe to, in the API's order (it is the one list of them). */
export async function getEventTypes(): Promise<string[]> {
  const { data } = await api.get<Schemas['EventTypes']>('/webhooks/event-types');
  return data.items;
}

export const eventTypesQueryOptions = () =>
  queryOptions({ queryKey: webhookKeys.eventTypes(), queryFn: getEventTypes, staleTime: Infinity });

export const useEventTypes = () => useQuery(eventTypesQueryOptions());

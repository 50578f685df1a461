import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

import { webhookKeys } from './query-keys';

export interface RunnableEvent { id: string; name: string; status: string }

/** The events the caller runs (an admin: every event), from the dashboard's figures: an endpoint names one of them. */
export async function getRunnableEvents(): Promise<RunnableEvent[]> {
  const { data } = await api.get<Schemas['StatsOut']>('/admin/stats');
  return data.events.map(({ id, name, status }) => ({ id, name, status }));
}

export const runnableEventsQueryOptions = () =>
  queryOptions({ queryKey: webhookKeys.events(), queryFn: getRunnableEvents, staleTime: 60_000 });

export const useRunnableEvents = () => useQuery(runnableEventsQueryOptions());

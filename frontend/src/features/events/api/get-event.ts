import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { LedgerEvent } from '@/types/api';

import { eventKeys } from './query-keys';

export async function getEvent(eventId: string): Promise<LedgerEvent> {
  const { data } = await api.get<LedgerEvent>(`/events/${eventId}`);
  return data;
}

export const eventQueryOptions = (eventId: string) =>
  queryOptions({ queryKey: eventKeys.detail(eventId), queryFn: () => getEvent(eventId) });

export const useEvent = (eventId: string) => useQuery(eventQueryOptions(eventId));

import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { LedgerEvent } from '@/types/api';

import { eventKeys } from './query-keys';

/** The event; with a buyer's `voucher` code, the hidden categories it unlocks too. */
export async function getEvent(eventId: string, voucher?: string | null): Promise<LedgerEvent> {
  const { data } = await api.get<LedgerEvent>(`/events/${eventId}`, voucher ? { params: { voucher } } : undefined);
  return data;
}

// The code goes last in the key: invalidating the event's detail reaches its answers with a code too.
export const eventQueryOptions = (eventId: string, voucher?: string | null) =>
  queryOptions({
    queryKey: voucher ? [...eventKeys.detail(eventId), voucher] : eventKeys.detail(eventId),
    queryFn: () => getEvent(eventId, voucher),
  });

export const useEvent = (eventId: string, voucher?: string | null) => useQuery(eventQueryOptions(eventId, voucher));

import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { serverNow } from '@/lib/server-clock';
import type { Schemas } from '@/types/api';

import { auditKeys } from './query-keys';

export type EventState = Schemas['EventState'];
export type Moment = { version: number } | { at: string };

export const useEventState = (eventId: string, moment: Moment | null) =>
  useQuery({
    queryKey: auditKeys.state(eventId, moment),
    queryFn: async () => (await api.get<EventState>(`/audit/events/${eventId}/state`, { params: { ...moment, bookings_limit: 50 } })).data,
    enabled: !!moment,
    placeholderData: keepPreviousData,
  });

/** The stream's latest version: the event as it is now by the server's clock (a device behind it would miss the
 * latest changes), without its bookings. */
export const useHeadVersion = (eventId: string) =>
  useQuery({
    queryKey: auditKeys.headVersion(eventId),
    queryFn: async () =>
      (await api.get<EventState>(`/audit/events/${eventId}/state`, { params: { at: new Date(serverNow()).toISOString(), bookings_limit: 0 } })).data.version,
  });

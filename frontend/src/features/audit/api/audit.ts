import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Booking, LedgerEvent, Page } from '@/types/api';

export interface StoredEvent { version: number; type: string; recorded_at: string; position: number; payload: Record<string, unknown>; chain: string | null; form?: 1 | 2 }
export interface EventState extends LedgerEvent {
  version: number; recorded_at: string; bookings: (Omit<Booking, 'event_id' | 'position'> & { cancelled_at: string | null })[];
  bookings_total: number; bookings_confirmed: number; bookings_next_offset: number | null;
}
export interface ProjectionStatus {
  name: string; position: number; head: number; lag_events: number; lag_seconds: number; updated_at: string | null;
  last_error: string | null; rebuild: { state: string; done: number; total: number };
}
export interface VerifyReport {
  ok: boolean; checked_events: number; checked_streams: number;
  events: { event_id: string; ok: boolean; events: number; problems: { version: number; position: number; rule: string; message: string }[] }[];
  chain: { ok: boolean; broken: { stream: string; version: number; reason: string }[] };
  projections: Record<string, { ok: boolean; position: number; difference_count: number }>;
  snapshots: { ok: boolean; checked: number; unsealed: number; bad: { event_id: string; version: number; problem: string }[] };
}

export async function getHistory(eventId: string): Promise<StoredEvent[]> {
  const items: StoredEvent[] = [];
  let after = 0;
  for (;;) {
    const { data } = await api.get<{ items: StoredEvent[]; next_cursor: number | null }>(
      `/audit/events/${eventId}/history`, { params: { after_version: after, limit: 500 } });
    items.push(...data.items);
    if (data.next_cursor === null || data.items.length === 0 || items.length >= 5000) return items;
    after = data.next_cursor;
  }
}

export const useHistory = (eventId: string) =>
  useQuery({ queryKey: ['audit', 'history', eventId], queryFn: () => getHistory(eventId) });

export type Moment = { version: number } | { at: string };

export const useEventState = (eventId: string, moment: Moment | null) =>
  useQuery({
    queryKey: ['audit', 'state', eventId, moment],
    queryFn: async () => (await api.get<EventState>(`/audit/events/${eventId}/state`, { params: { ...moment, bookings_limit: 50 } })).data,
    enabled: !!moment,
    placeholderData: keepPreviousData,
  });

export const useProjections = () =>
  useQuery({
    queryKey: ['audit', 'projections'],
    queryFn: async () => (await api.get<ProjectionStatus[]>('/projections')).data,
    refetchInterval: 5_000,
  });

export const useVerify = () =>
  useMutation({ mutationFn: async () => (await api.get<VerifyReport>('/audit/verify', { timeout: 120_000 })).data });

export const useAuditEvents = (q: string) =>
  useQuery({
    queryKey: ['audit', 'events', q],
    queryFn: async () => (await api.get<Page<LedgerEvent>>('/events', { params: { q: q || undefined, limit: 50 } })).data.items,
  });

import { useQueries, useQuery } from '@tanstack/react-query';

import { api, positions } from '@/lib/api-client';
import { serverNow } from '@/lib/server-clock';
import type { Hold, HoldPage, LedgerEvent, Place, PlacePage } from '@/types/api';

import { holdKeys } from './query-keys';

// The newest first; a buyer has few holds and places alive at once, so one page shows them.
const NEWEST = 50;

/** Read no older than `atLeast` (a live change's position), nor than the user's own last write. */
const fresh = (atLeast?: number) => (atLeast ? { min_position: Math.max(atLeast, positions.get()) } : {});

/** The user's holds, those made at checkout and the offers made to their places on waitlists. */
export async function getMyHolds(userId: string, atLeast?: number): Promise<Hold[]> {
  const { data } = await api.get<HoldPage>(`/users/${userId}/holds`, { params: { limit: NEWEST, ...fresh(atLeast) } });
  return data.items;
}

/** The user's places on waitlists, each waiting one with its rank. */
export async function getMyPlaces(userId: string, atLeast?: number): Promise<Place[]> {
  const { data } = await api.get<PlacePage>(`/users/${userId}/waitlist`, { params: { limit: NEWEST, ...fresh(atLeast) } });
  return data.items;
}

/**
 * `atLeast`: the position of the latest live change seen; a refetch after it reads the holds
 * projection caught up to it, so an offer the stream announced is in the answer.
 */
export const useMyHolds = (userId: string | undefined, atLeast?: number) =>
  useQuery({ queryKey: holdKeys.mine(userId ?? ''), queryFn: () => getMyHolds(userId!, atLeast), enabled: !!userId });

export const useMyPlaces = (userId: string | undefined, atLeast?: number) =>
  useQuery({ queryKey: holdKeys.places(userId ?? ''), queryFn: () => getMyPlaces(userId!, atLeast), enabled: !!userId });

/** Whether a hold still keeps its seats: active and not past its expiry by the server's clock (the scheduler ends it within seconds). */
export const isLive = (hold: Hold, now = serverNow()): boolean =>
  hold.status === 'active' && !!hold.expires_at && Date.parse(hold.expires_at) > now;

/** Names and currencies of the events the holds and places are for (one request per distinct event). */
export function useHeldEvents(eventIds: string[]): Record<string, LedgerEvent | undefined> {
  const unique = [...new Set(eventIds)];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: holdKeys.event(id),
      queryFn: async () => (await api.get<LedgerEvent>(`/events/${id}`)).data,
      staleTime: 60_000,
    })),
  });
  return Object.fromEntries(unique.map((id, i) => [id, results[i]?.data]));
}

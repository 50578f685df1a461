import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { checkHead } from '@/lib/signed-heads';
import type { InclusionProof, Schemas, SignedHead } from '@/types/api';

import { auditKeys, type InclusionTarget } from './query-keys';

export type HeadPage = Schemas['HeadPage'];
export type ConsistencyProof = Schemas['ConsistencyProof'];
export const HEADS_PAGE = 20;

export const useLatestHead = () =>
  useQuery({
    queryKey: auditKeys.latestHead,
    queryFn: async () => (await api.get<SignedHead>('/audit/checkpoints/latest')).data,
    refetchInterval: 15_000,
  });

/** Signed heads by tree size, oldest first, after `afterSize`. */
export const useHeads = (afterSize: number) =>
  useQuery({
    queryKey: auditKeys.heads(afterSize),
    queryFn: async () => (await api.get<HeadPage>('/audit/checkpoints', { params: { after_size: afterSize, limit: HEADS_PAGE } })).data,
    placeholderData: keepPreviousData,
  });

/** The proof the tree of `second` leaves (null: the latest head's) grew from the tree of `first`. */
export const useConsistency = (ask: { first: number; second: number | null } | null) =>
  useQuery({
    queryKey: auditKeys.consistency(ask?.first ?? 0, ask?.second ?? null),
    queryFn: async () =>
      (await api.get<ConsistencyProof>('/audit/proofs/consistency', { params: { first: ask!.first, second: ask!.second ?? undefined } })).data,
    enabled: !!ask,
  });

/** The proof a booking's event, or the event at a position, is in a signed head. */
export const useInclusion = (target: InclusionTarget | null) =>
  useQuery({
    queryKey: auditKeys.inclusion(target ?? { position: 0 }),
    queryFn: async () => {
      if (target && 'booking' in target) return (await api.get<InclusionProof>(`/audit/proofs/bookings/${target.booking}`)).data;
      return (await api.get<InclusionProof>('/audit/proofs/inclusion', { params: { position: target!.position, tree_size: target!.treeSize } })).data;
    },
    enabled: !!target,
  });

/** Whether a head is signed by a trusted key (the keys from GET /audit/public-key). */
export const useHeadCheck = (head: SignedHead | null | undefined, keys: Schemas['PublicKeys'] | undefined) =>
  useQuery({
    queryKey: auditKeys.headCheck(head?.signature ?? ''),
    queryFn: () => checkHead(head!, keys!),
    enabled: !!head && !!keys,
    staleTime: Infinity,
  });

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { Schemas, SignedHead } from '@/types/api';

import { adminKeys } from './query-keys';

export type ProjectionStatus = Schemas['ProjectionStatus'];

const rebuilding = (p: ProjectionStatus) => p.rebuild.state === 'rebuilding' || p.rebuild.state === 'swapping';

/** The projections and their rebuilds: polled every second while one rebuilds, else every 5 s. */
export const useProjectionsAdmin = () =>
  useQuery({
    queryKey: adminKeys.projections,
    queryFn: async () => (await api.get<ProjectionStatus[]>('/projections')).data,
    refetchInterval: (query) => (query.state.data?.some(rebuilding) ? 1_000 : 5_000),
  });

/** Rebuild one projection from the whole log (admins): its progress shows in the list. */
export function useRebuild() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (name: string) => (await api.post<ProjectionStatus>(`/projections/${name}/rebuild`)).data,
    onSettled: () => void queryClient.invalidateQueries({ queryKey: adminKeys.projections }),
  });
}

/** Have the signer sign a head over the tree as it stands now (admins). */
export function useSignHead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => (await api.post<SignedHead>('/audit/checkpoints', undefined, { timeout: 60_000 })).data,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [ROOT.audit] }),
  });
}

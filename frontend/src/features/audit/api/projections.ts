import { useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

import { auditKeys } from './query-keys';

export type ProjectionStatus = Schemas['ProjectionStatus'];

export const useProjections = () =>
  useQuery({
    queryKey: auditKeys.projections,
    queryFn: async () => (await api.get<ProjectionStatus[]>('/projections')).data,
    refetchInterval: 5_000,
  });

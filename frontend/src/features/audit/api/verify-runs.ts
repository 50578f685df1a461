import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, normaliseError } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

import { auditKeys } from './query-keys';

export type VerifyReport = Schemas['VerifyReport'];

export type VerifyRun = Schemas['VerifyRunOut'];
export type VerifyRunPage = Schemas['VerifyRunPage'];
export type VerifyProblem = Schemas['VerifyProblemOut'];
export type VerifyProblemPage = Schemas['VerifyProblemPage'];

export const PROBLEMS_PAGE = 50;
const running = (run: VerifyRun | undefined) => run?.status === 'running';

/** The runs, latest first; polled while one is running. */
export const useVerifyRuns = () =>
  useQuery({
    queryKey: auditKeys.verifyRuns,
    queryFn: async () => (await api.get<VerifyRunPage>('/audit/verify-runs', { params: { limit: 20 } })).data.items,
    refetchInterval: (query) => (query.state.data?.some(running) ? 2_000 : false),
  });

/** One run, its progress polled every second while it runs. */
export const useVerifyRun = (runId: string | null) =>
  useQuery({
    queryKey: auditKeys.verifyRun(runId ?? ''),
    queryFn: async () => (await api.get<VerifyRun>(`/audit/verify-runs/${runId}`)).data,
    enabled: !!runId,
    refetchInterval: (query) => (running(query.state.data) ? 1_000 : false),
  });

export const useVerifyProblems = (runId: string | null, offset: number, enabled = true) =>
  useQuery({
    queryKey: auditKeys.verifyProblems(runId ?? '', offset),
    queryFn: async () =>
      (await api.get<VerifyProblemPage>(`/audit/verify-runs/${runId}/problems`, { params: { offset, limit: PROBLEMS_PAGE } })).data,
    enabled: !!runId && enabled,
    placeholderData: keepPreviousData,
  });

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The id of the run already running, from a 409 VERIFY_RUNNING (its message or body names it). */
export function runningRunId(error: unknown): string | null {
  const e = normaliseError(error);
  if (e.code !== 'VERIFY_RUNNING') return null;
  const detail = e.detail as { run_id?: unknown; id?: unknown } | undefined;
  const fromDetail = detail && typeof detail === 'object' ? detail.run_id ?? detail.id : undefined;
  if (typeof fromDetail === 'string') return fromDetail;
  return UUID.exec(e.message)?.[0] ?? null;
}

/** Start a run (202); one at a time: a 409 names the one running. */
export function useStartVerify() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => (await api.post<VerifyRun>('/audit/verify-runs')).data,
    onSettled: () => void queryClient.invalidateQueries({ queryKey: auditKeys.verifyRuns }),
  });
}

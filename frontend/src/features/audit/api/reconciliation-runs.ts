import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, normaliseError } from '@/lib/api-client';
import type { PaymentsConfig, Schemas } from '@/types/api';

import { auditKeys } from './query-keys';

export type ReconciliationRun = Schemas['ReconciliationRunOut'];
export type ReconciliationRunPage = Schemas['ReconciliationRunPage'];
export type ReconciliationPeriod = Schemas['ReconciliationRunIn'];
export type ReconciliationProblem = Schemas['ReconciliationProblemOut'];
export type ReconciliationProblemPage = Schemas['ReconciliationProblemPage'];

export const RECONCILIATION_PROBLEMS_PAGE = 20;
const running = (run: ReconciliationRun | undefined) => run?.status === 'running';

/** Whether a payment provider is set up (nothing to reconcile without one); it changes only with the server's settings. */
export const usePaymentProvider = () =>
  useQuery({
    queryKey: auditKeys.paymentsConfig,
    queryFn: async () => (await api.get<PaymentsConfig>('/payments/config')).data.provider,
    staleTime: Infinity,
  });

/** The runs, latest first; polled while one is running. */
export const useReconciliationRuns = () =>
  useQuery({
    queryKey: auditKeys.reconciliationRuns,
    queryFn: async () =>
      (await api.get<ReconciliationRunPage>('/audit/reconciliation-runs', { params: { limit: 20 } })).data.items,
    refetchInterval: (query) => (query.state.data?.some(running) ? 2_000 : false),
  });

/** One run, polled every second while it runs. */
export const useReconciliationRun = (runId: string | null) =>
  useQuery({
    queryKey: auditKeys.reconciliationRun(runId ?? ''),
    queryFn: async () => (await api.get<ReconciliationRun>(`/audit/reconciliation-runs/${runId}`)).data,
    enabled: !!runId,
    refetchInterval: (query) => (running(query.state.data) ? 1_000 : false),
  });

/** A page of a run's problems, from `cursor` (null: the first page). */
export const useReconciliationProblems = (runId: string, cursor: string | null, enabled = true) =>
  useQuery({
    queryKey: auditKeys.reconciliationProblems(runId, cursor),
    queryFn: async () =>
      (await api.get<ReconciliationProblemPage>(`/audit/reconciliation-runs/${runId}/problems`, {
        params: { limit: RECONCILIATION_PROBLEMS_PAGE, cursor: cursor ?? undefined },
      })).data,
    enabled,
    placeholderData: keepPreviousData,
  });

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The id of the run already running, from a 409 RECONCILIATION_RUNNING (its message names it). */
export function runningReconciliationId(error: unknown): string | null {
  const e = normaliseError(error);
  return e.code === 'RECONCILIATION_RUNNING' ? UUID.exec(e.message)?.[0] ?? null : null;
}

/** Start a run for a period (202); one at a time: a 409 names the one running. */
export function useStartReconciliation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (period: ReconciliationPeriod) =>
      (await api.post<ReconciliationRun>('/audit/reconciliation-runs', period)).data,
    onSettled: () => void queryClient.invalidateQueries({ queryKey: auditKeys.reconciliationRuns }),
  });
}

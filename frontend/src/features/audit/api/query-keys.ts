import { ROOT } from '@/lib/react-query';

/** Every query key of the audit feature (a query's filters are part of its key, whatever they hold). */
export const auditKeys = {
  all: [ROOT.audit] as const,
  eventSearch: (q: string) => [ROOT.audit, 'event-search', q] as const,
  event: (eventId: string) => [ROOT.audit, 'event', eventId] as const,
  history: (eventId: string, start: number) => [ROOT.audit, 'history', eventId, start] as const,
  state: <M extends object>(eventId: string, moment: M | null) => [ROOT.audit, 'state', eventId, moment] as const,
  headVersion: (eventId: string) => [ROOT.audit, 'head-version', eventId] as const,
  projections: [ROOT.audit, 'projections'] as const,
  verifyRuns: [ROOT.audit, 'verify-runs'] as const,
  verifyRun: (runId: string) => [ROOT.audit, 'verify-runs', runId] as const,
  verifyProblems: (runId: string, offset: number) => [ROOT.audit, 'verify-runs', runId, 'problems', offset] as const,
  paymentsConfig: [ROOT.audit, 'payments-config'] as const,
  reconciliationRuns: [ROOT.audit, 'reconciliation-runs'] as const,
  reconciliationRun: (runId: string) => [ROOT.audit, 'reconciliation-runs', runId] as const,
  reconciliationProblems: (runId: string, cursor: string | null) => [ROOT.audit, 'reconciliation-runs', runId, 'problems', cursor] as const,
  revenue: <Q extends object>(query: Q) => [ROOT.audit, 'revenue', query] as const,
  eventBookings: (eventId: string) => [ROOT.audit, 'bookings', 'event', eventId] as const,
  userBookings: (userId: string) => [ROOT.audit, 'bookings', 'user', userId] as const,
  userSearch: (q: string) => [ROOT.audit, 'users', q] as const,
  log: <F extends object>(filters: F, after: number) => [ROOT.audit, 'log', filters, after] as const,
  eventKinds: [ROOT.audit, 'event-kinds'] as const,
  publicKeys: [ROOT.audit, 'public-keys'] as const,
  latestHead: [ROOT.audit, 'heads', 'latest'] as const,
  headCheck: (signature: string) => [ROOT.audit, 'heads', 'check', signature] as const,
  heads: (afterSize: number) => [ROOT.audit, 'heads', 'list', afterSize] as const,
  consistency: (first: number, second: number | null) => [ROOT.audit, 'proofs', 'consistency', first, second] as const,
  inclusion: (target: InclusionTarget) => [ROOT.audit, 'proofs', 'inclusion', target] as const,
};

/** What an inclusion proof is asked for: a booking's event, or the event at a position. */
export type InclusionTarget = { booking: string } | { position: number; treeSize?: number };

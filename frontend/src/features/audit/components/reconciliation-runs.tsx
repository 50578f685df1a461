import { useState, type FormEvent } from 'react';

import { Badge, Empty, ErrorMessage, Notice } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { dateTime, money, plural } from '@/lib/format';

import {
  RECONCILIATION_PROBLEMS_PAGE, runningReconciliationId, useReconciliationProblems, useReconciliationRun, useReconciliationRuns, usePaymentProvider,
  useStartReconciliation, type ReconciliationProblem, type ReconciliationRun,
} from '../api/reconciliation-runs';
import { dayBound } from './revenue-report';

/** What each kind of disagreement means, in words. */
export const PROBLEM_KINDS: Record<ReconciliationProblem['kind'], string> = {
  payment_only_at_provider: 'Payment at Stripe only',
  payment_only_in_ledger: 'Payment in the ledger only',
  payment_amount_differs: 'Payment of another amount',
  refund_only_at_provider: 'Refund at Stripe only',
  refund_only_in_ledger: 'Refund in the ledger only',
  refund_amount_differs: 'Refund of another amount',
};

const amount = (value: string | null, currency: string) => (value === null ? '—' : money(value, currency));

function runTone(run: ReconciliationRun): string {
  if (run.status === 'running') return 'blue';
  return run.status === 'finished' && run.problems === 0 ? 'green' : 'red';
}
function runLabel(run: ReconciliationRun): string {
  if (run.status !== 'finished') return run.status;
  return run.problems === 0 ? 'all matched' : 'problems';
}
const period = (run: ReconciliationRun) => `${dateTime(run.since)} – ${dateTime(run.until)}`;

/** A run's problems, a page at a time, by the cursors the server gives. */
function Problems({ run }: { run: ReconciliationRun }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const problems = useReconciliationProblems(run.id, cursor, run.problems > 0);
  if (run.problems === 0) return null;
  if (problems.isPending) return <Spinner label="Reading the problems" />;
  if (problems.isError) return <ErrorMessage error={problems.error} onRetry={() => void problems.refetch()} />;
  const { items, next_cursor: next } = problems.data;
  const first = (cursors.length - 1) * RECONCILIATION_PROBLEMS_PAGE + 1;
  return (
    <section aria-label="Disagreements found">
      <h3>Disagreements {first}–{first + items.length - 1} of {run.problems}</h3>
      <TableWrap label="Disagreements">
        <table className="table" aria-label="Disagreements">
          <thead>
            <tr>
              <th scope="col">What</th><th scope="col">Stripe's id</th><th scope="col">Ledger's payment</th>
              <th scope="col" className="num">In the ledger</th><th scope="col" className="num">At Stripe</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={`${p.kind}-${p.provider_id}`}>
                <td><Badge tone="red">{PROBLEM_KINDS[p.kind]}</Badge></td>
                <td><code>{p.provider_id}</code>{p.intent_id && <small className="muted"> of <code>{p.intent_id}</code></small>}</td>
                <td>{p.payment_id ? <code>{p.payment_id}</code> : '—'}</td>
                <td className="num">{amount(p.ledger_amount, p.currency)}</td>
                <td className="num">{amount(p.provider_amount, p.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <div className="row">
        <button type="button" className="btn btn--ghost btn--small" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>◀ Previous</button>
        <button type="button" className="btn btn--ghost btn--small" disabled={!next} onClick={() => next && setCursors([...cursors, next])}>Next ▶</button>
      </div>
    </section>
  );
}

/** One run: its period and state, then its counts and disagreements, or why it failed. */
function RunDetail({ runId }: { runId: string }) {
  const run = useReconciliationRun(runId);
  if (run.isPending) return <Spinner label="Reading the run" />;
  if (run.isError) return <ErrorMessage error={run.error} onRetry={() => void run.refetch()} />;
  const r = run.data;
  return (
    <div className="reconciliation" data-testid="reconciliation-run">
      <p className="muted">
        {period(r)} · started {dateTime(r.started_at)} by {r.started_by}{r.finished_at ? ` · ended ${dateTime(r.finished_at)}` : ''}
      </p>
      {r.status === 'running' && <Spinner label="Reading Stripe's payments and refunds" />}
      {r.status === 'failed' && <Notice tone="warning"><strong>The run failed.</strong> {r.error}</Notice>}
      {r.status === 'finished' && (
        <>
          <Notice tone={r.problems === 0 ? 'success' : 'warning'}>
            <strong>{r.problems === 0 ? 'Every payment and refund matches, one to one.' : `${plural(r.problems, 'disagreement')} found.`}</strong>{' '}
            {r.matched} matched.
          </Notice>
          <dl className="profile" aria-label="Counts">
            <dt>Payments</dt><dd>{r.ledger_payments} in the ledger · {r.provider_payments} at Stripe</dd>
            <dt>Refunds</dt><dd>{r.ledger_refunds} in the ledger · {r.provider_refunds} at Stripe</dd>
          </dl>
        </>
      )}
      <Problems key={r.id} run={r} />
    </div>
  );
}

/** Pick a period (none: the last 30 days) and start a run. */
function StartForm({ busy, onStart }: { busy: boolean; onStart: (since?: string, until?: string) => void }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onStart(dayBound(from), dayBound(to, true));
  };
  return (
    <form className="filters filters--reconcile" aria-label="Reconciliation period" onSubmit={submit}>
      <Field label="From" type="date" value={from} onChange={(e) => setFrom(e.target.value)} hint="Empty: 30 days before the end" />
      <Field label="To (included)" type="date" value={to} onChange={(e) => setTo(e.target.value)} hint="Empty: now" />
      <div className="field">
        <span className="field__label">&nbsp;</span>
        <button type="submit" className="btn" disabled={busy}>{busy ? 'A run is in progress' : 'Reconcile'}</button>
      </div>
    </form>
  );
}

/**
 * The ledger's payments and refunds held against Stripe's for a period, one to one, as a run on
 * the server: pick the period, follow the run, page its disagreements. Shown only when a payment
 * provider is set up.
 */
export function ReconcileWithStripe() {
  const provider = usePaymentProvider();
  if (!provider.data) return null;
  return (
    <section className="card" aria-labelledby="reconcile-heading">
      <h2 id="reconcile-heading">Reconcile with Stripe</h2>
      <ReconciliationRuns />
    </section>
  );
}

function ReconciliationRuns() {
  const runs = useReconciliationRuns();
  const start = useStartReconciliation();
  const [chosen, setChosen] = useState<string | null>(null);
  const items = runs.data ?? [];
  const runningNow = items.find((r) => r.status === 'running');
  const alreadyRunning = runningReconciliationId(start.error);
  const selected = chosen ?? runningNow?.id ?? alreadyRunning ?? start.data?.id ?? items[0]?.id ?? null;
  const begin = (since?: string, until?: string) => {
    setChosen(null);
    start.mutate({ since, until }, { onSuccess: (run) => setChosen(run.id) });
  };

  return (
    <div>
      <p className="muted">
        Every payment and refund that succeeded in the period, as Stripe lists them and as the ledger recorded them, matched by
        id and amount: money on one side only, or of another amount, is shown with both sides. It runs on the server.
      </p>
      <StartForm busy={start.isPending || !!runningNow} onStart={begin} />
      {start.error && !alreadyRunning && <ErrorMessage error={start.error} title="The reconciliation did not start" />}
      {alreadyRunning && <Notice>A run is already in progress: it is shown below.</Notice>}
      {runs.isPending && <Spinner label="Reading the runs" />}
      {runs.isError && <ErrorMessage error={runs.error} title="The runs cannot be read" onRetry={() => void runs.refetch()} />}
      {runs.isSuccess && items.length === 0 && !selected && <Empty title="No reconciliation yet"><p className="muted">Start one: its result stays here.</p></Empty>}
      {selected && <RunDetail key={selected} runId={selected} />}
      {items.length > 0 && (
        <TableWrap label="Reconciliation runs">
          <table className="table" aria-label="Reconciliation runs">
            <thead>
              <tr>
                <th scope="col">Period</th><th scope="col">By</th><th scope="col">Result</th>
                <th scope="col" className="num">Matched</th><th scope="col" className="num">Problems</th>
                <th scope="col"><span className="sr-only">Show</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} aria-current={r.id === selected ? 'true' : undefined}>
                  <td>{period(r)}</td>
                  <td>{r.started_by}</td>
                  <td><Badge tone={runTone(r)}>{runLabel(r)}</Badge></td>
                  <td className="num">{r.matched}</td>
                  <td className="num">{r.problems}</td>
                  <td><button type="button" className="link" onClick={() => setChosen(r.id)}>Show</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </div>
  );
}

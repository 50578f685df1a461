import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { Badge, Empty, ErrorMessage, Notice } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { dateTime, money } from '@/lib/format';
import { i18n } from '@/lib/i18n';

import {
  RECONCILIATION_PROBLEMS_PAGE, runningReconciliationId, useReconciliationProblems, useReconciliationRun, useReconciliationRuns, usePaymentProvider,
  useStartReconciliation, type ReconciliationProblem, type ReconciliationRun,
} from '../api/reconciliation-runs';
import { dayBound } from './revenue-report';

/** What a kind of disagreement means, in words (audit:reconcile.kinds). */
export const problemKind = (kind: ReconciliationProblem['kind']): string => i18n.t(`audit:reconcile.kinds.${kind}`);

const amount = (value: string | null, currency: string) => (value === null ? '—' : money(value, currency));

function runTone(run: ReconciliationRun): string {
  if (run.status === 'running') return 'blue';
  return run.status === 'finished' && run.problems === 0 ? 'green' : 'red';
}
/** A run's result in words: running, failed, all matched or problems (audit:reconcile.result). */
function runLabel(run: ReconciliationRun): string {
  if (run.status !== 'finished') return i18n.t(`audit:reconcile.result.${run.status}`);
  return i18n.t(run.problems === 0 ? 'audit:reconcile.result.matched' : 'audit:reconcile.result.problems');
}
const period = (run: ReconciliationRun) => i18n.t('audit:reconcile.period', { since: dateTime(run.since), until: dateTime(run.until) });

/** A run's problems, a page at a time, by the cursors the server gives. */
function Problems({ run }: { run: ReconciliationRun }) {
  const { t } = useTranslation('audit');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const problems = useReconciliationProblems(run.id, cursor, run.problems > 0);
  if (run.problems === 0) return null;
  if (problems.isPending) return <Spinner label={t('runs.loadingProblems')} />;
  if (problems.isError) return <ErrorMessage error={problems.error} onRetry={() => void problems.refetch()} />;
  const { items, next_cursor: next } = problems.data;
  const first = (cursors.length - 1) * RECONCILIATION_PROBLEMS_PAGE + 1;
  return (
    <section aria-label={t('reconcile.found')}>
      <h3>{t('reconcile.disagreementsOf', { from: first, to: first + items.length - 1, total: run.problems })}</h3>
      <TableWrap label={t('reconcile.table')}>
        <table className="table" aria-label={t('reconcile.table')}>
          <thead>
            <tr>
              <th scope="col">{t('reconcile.what')}</th><th scope="col">{t('reconcile.providerId')}</th><th scope="col">{t('reconcile.payment')}</th>
              <th scope="col" className="num">{t('reconcile.inLedger')}</th><th scope="col" className="num">{t('reconcile.atStripe')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={`${p.kind}-${p.provider_id}`}>
                <td><Badge tone="red">{problemKind(p.kind)}</Badge></td>
                <td><code>{p.provider_id}</code>{p.intent_id && <small className="muted"> {t('reconcile.of')} <code>{p.intent_id}</code></small>}</td>
                <td>{p.payment_id ? <code>{p.payment_id}</code> : '—'}</td>
                <td className="num">{amount(p.ledger_amount, p.currency)}</td>
                <td className="num">{amount(p.provider_amount, p.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <div className="row">
        <button type="button" className="btn btn--ghost btn--small" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>{t('pager.previous')}</button>
        <button type="button" className="btn btn--ghost btn--small" disabled={!next} onClick={() => next && setCursors([...cursors, next])}>{t('pager.next')}</button>
      </div>
    </section>
  );
}

/** One run: its period and state, then its counts and disagreements, or why it failed. */
function RunDetail({ runId }: { runId: string }) {
  const { t } = useTranslation('audit');
  const run = useReconciliationRun(runId);
  if (run.isPending) return <Spinner label={t('runs.loadingRun')} />;
  if (run.isError) return <ErrorMessage error={run.error} onRetry={() => void run.refetch()} />;
  const r = run.data;
  return (
    <div className="reconciliation" data-testid="reconciliation-run">
      <p className="muted">
        {period(r)} · {t('reconcile.started', { time: dateTime(r.started_at), by: r.started_by })}
        {r.finished_at ? ` · ${t('reconcile.ended', { time: dateTime(r.finished_at) })}` : ''}
      </p>
      {r.status === 'running' && <Spinner label={t('reconcile.reading')} />}
      {r.status === 'failed' && <Notice tone="warning"><strong>{t('runs.failed')}</strong> {r.error}</Notice>}
      {r.status === 'finished' && (
        <>
          <Notice tone={r.problems === 0 ? 'success' : 'warning'}>
            <strong>{r.problems === 0 ? t('reconcile.allMatch') : t('reconcile.disagreements', { count: r.problems })}</strong>{' '}
            {t('reconcile.matched', { matched: r.matched })}
          </Notice>
          <dl className="profile" aria-label={t('reconcile.counts')}>
            <dt>{t('reconcile.payments')}</dt><dd>{t('reconcile.sides', { ledger: r.ledger_payments, stripe: r.provider_payments })}</dd>
            <dt>{t('reconcile.refunds')}</dt><dd>{t('reconcile.sides', { ledger: r.ledger_refunds, stripe: r.provider_refunds })}</dd>
          </dl>
        </>
      )}
      <Problems key={r.id} run={r} />
    </div>
  );
}

/** Pick a period (none: the last 30 days) and start a run. */
function StartForm({ busy, onStart }: { busy: boolean; onStart: (since?: string, until?: string) => void }) {
  const { t } = useTranslation('audit');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onStart(dayBound(from), dayBound(to, true));
  };
  return (
    <form className="filters filters--reconcile" aria-label={t('reconcile.form')} onSubmit={submit}>
      <Field label={t('reconcile.from')} type="date" value={from} onChange={(e) => setFrom(e.target.value)} hint={t('reconcile.fromHint')} />
      <Field label={t('reconcile.to')} type="date" value={to} onChange={(e) => setTo(e.target.value)} hint={t('reconcile.toHint')} />
      <div className="field">
        <span className="field__label">&nbsp;</span>
        <button type="submit" className="btn" disabled={busy}>{busy ? t('runs.inProgress') : t('reconcile.reconcile')}</button>
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
  const { t } = useTranslation('audit');
  const provider = usePaymentProvider();
  if (!provider.data) return null;
  return (
    <section className="card" aria-labelledby="reconcile-heading">
      <h2 id="reconcile-heading">{t('reconcile.title')}</h2>
      <ReconciliationRuns />
    </section>
  );
}

function ReconciliationRuns() {
  const { t } = useTranslation('audit');
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
      <p className="muted">{t('reconcile.about')}</p>
      <StartForm busy={start.isPending || !!runningNow} onStart={begin} />
      {start.error && !alreadyRunning && <ErrorMessage error={start.error} title={t('reconcile.notStarted')} />}
      {alreadyRunning && <Notice>{t('runs.already')}</Notice>}
      {runs.isPending && <Spinner label={t('runs.loadingRuns')} />}
      {runs.isError && <ErrorMessage error={runs.error} title={t('runs.runsError')} onRetry={() => void runs.refetch()} />}
      {runs.isSuccess && items.length === 0 && !selected && <Empty title={t('reconcile.none')}><p className="muted">{t('reconcile.noneHint')}</p></Empty>}
      {selected && <RunDetail key={selected} runId={selected} />}
      {items.length > 0 && (
        <TableWrap label={t('reconcile.runs')}>
          <table className="table" aria-label={t('reconcile.runs')}>
            <thead>
              <tr>
                <th scope="col">{t('reconcile.periodCol')}</th><th scope="col">{t('runs.by')}</th><th scope="col">{t('runs.result')}</th>
                <th scope="col" className="num">{t('reconcile.matchedCol')}</th><th scope="col" className="num">{t('runs.problems')}</th>
                <th scope="col"><span className="sr-only">{t('pager.show')}</span></th>
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
                  <td><button type="button" className="link" onClick={() => setChosen(r.id)}>{t('pager.show')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </div>
  );
}

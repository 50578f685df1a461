import { useState } from 'react';
import { Link } from 'react-router-dom';

import { Badge, Empty, ErrorMessage, Notice } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { dateTime, plural } from '@/lib/format';

import {
  PROBLEMS_PAGE, runningRunId, useStartVerify, useVerifyProblems, useVerifyRun, useVerifyRuns, type VerifyRun,
} from '../api/verify-runs';
import { VerifyChecks } from './verify-report';

function Progress({ run }: { run: VerifyRun }) {
  const share = run.total > 0 ? Math.min(100, Math.round((run.checked / run.total) * 100)) : 0;
  return (
    <div className="progress" role="progressbar" aria-label="Verification progress" aria-valuemin={0} aria-valuemax={run.total} aria-valuenow={run.checked}>
      <span className="progress__bar"><span style={{ width: `${share}%` }} /></span>
      <span className="progress__label">{run.checked} of {run.total} checked ({share}%)</span>
    </div>
  );
}

function runTone(run: VerifyRun): string {
  if (run.status === 'running') return 'blue';
  return run.ok ? 'green' : 'red';
}
const runLabel = (run: VerifyRun) => (run.status === 'running' ? 'running' : run.ok ? 'verified' : run.status === 'failed' ? 'failed' : 'problems');

/** A run's problems, a page at a time. */
function Problems({ run }: { run: VerifyRun }) {
  const [offset, setOffset] = useState(0);
  const problems = useVerifyProblems(run.id, offset, run.problems > 0);
  if (run.problems === 0) return null;
  if (problems.isPending) return <Spinner label="Reading the problems" />;
  if (problems.isError) return <ErrorMessage error={problems.error} onRetry={() => void problems.refetch()} />;
  const { items, total } = problems.data;
  return (
    <section aria-label="Problems found">
      <h3>Problems {offset + 1}–{offset + items.length} of {total}</h3>
      <TableWrap label="Problems">
        <table className="table" aria-label="Problems">
          <thead><tr><th scope="col">Kind</th><th scope="col">Where</th><th scope="col" className="num">Position</th><th scope="col">What</th></tr></thead>
          <tbody>
            {items.map((p, i) => (
              <tr key={`${offset + i}`}>
                <td><Badge tone="red">{p.kind}</Badge></td>
                <td>
                  {p.stream ? <Link to={`/audit/events/${p.stream}${p.version ? `?version=${p.version}` : ''}`}><code>{p.stream.slice(0, 8)}</code>{p.version ? ` v${p.version}` : ''}</Link> : '—'}
                </td>
                <td className="num">{p.position ?? '—'}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <div className="row">
        <button type="button" className="btn btn--ghost btn--small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PROBLEMS_PAGE))}>◀ Previous</button>
        <button type="button" className="btn btn--ghost btn--small" disabled={offset + items.length >= total} onClick={() => setOffset(offset + PROBLEMS_PAGE)}>Next ▶</button>
      </div>
    </section>
  );
}

/** One run: its progress while it runs, then its verdict, report and problems. */
function RunDetail({ runId }: { runId: string }) {
  const run = useVerifyRun(runId);
  if (run.isPending) return <Spinner label="Reading the run" />;
  if (run.isError) return <ErrorMessage error={run.error} onRetry={() => void run.refetch()} />;
  const r = run.data;
  return (
    <div className="verify" data-testid="verify-run">
      <p className="muted">
        Started {dateTime(r.started_at)} by {r.started_by}{r.finished_at ? ` · finished ${dateTime(r.finished_at)}` : ''}
      </p>
      {r.status === 'running' ? (
        <Progress run={r} />
      ) : r.report ? null : r.ok ? (
        <Notice tone="success"><strong>Ledger verified: no problem found.</strong> {r.checked} of {r.total} checked.</Notice>
      ) : (
        <Notice tone="warning">
          <strong>{r.status === 'failed' ? 'The run failed.' : 'Problems found.'}</strong>{' '}
          {r.status === 'failed' && r.error ? `${r.error}. ` : ''}{plural(r.problems, 'problem')}; {r.checked} of {r.total} checked.
        </Notice>
      )}
      {r.report && <VerifyChecks report={r.report} />}
      <Problems key={r.id} run={r} />
    </div>
  );
}

/**
 * Verification as a job: start a run (one at a time), follow its progress, keep its report
 * and page its problems; earlier runs stay listed.
 */
export function VerifyRuns() {
  const runs = useVerifyRuns();
  const start = useStartVerify();
  const [chosen, setChosen] = useState<string | null>(null);
  const items = runs.data ?? [];
  const runningNow = items.find((r) => r.status === 'running');
  const alreadyRunning = runningRunId(start.error);
  // The one chosen, else the running one, else the latest.
  const selected = chosen ?? runningNow?.id ?? alreadyRunning ?? start.data?.id ?? items[0]?.id ?? null;

  return (
    <div>
      <p className="muted">Replays the whole store: hash chains, every rule at every position, each projection, snapshot and signed head against a fresh replay. It runs on the server; leave and come back, the run keeps going.</p>
      <div className="row">
        <button type="button" className="btn" disabled={start.isPending || !!runningNow}
          onClick={() => { setChosen(null); start.mutate(undefined, { onSuccess: (run) => setChosen(run.id) }); }}>
          {start.isPending ? 'Starting…' : runningNow ? 'A run is in progress' : 'Run verification'}
        </button>
        {runningNow && <span className="muted" role="status">One run at a time: the running one is shown.</span>}
      </div>
      {start.error && !alreadyRunning && <ErrorMessage error={start.error} title="Verification did not start" />}
      {alreadyRunning && <Notice>A run is already in progress: it is shown below.</Notice>}
      {runs.isPending && <Spinner label="Reading the runs" />}
      {runs.isError && <ErrorMessage error={runs.error} title="The runs cannot be read" onRetry={() => void runs.refetch()} />}
      {runs.isSuccess && items.length === 0 && !selected && <Empty title="No verification run yet"><p className="muted">Start one: its report stays here.</p></Empty>}
      {selected && <RunDetail key={selected} runId={selected} />}
      {items.length > 0 && (
        <TableWrap label="Verification runs">
          <table className="table" aria-label="Verification runs">
            <thead><tr><th scope="col">Started</th><th scope="col">By</th><th scope="col">Result</th><th scope="col" className="num">Checked</th><th scope="col" className="num">Problems</th><th scope="col"><span className="sr-only">Show</span></th></tr></thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} aria-current={r.id === selected ? 'true' : undefined}>
                  <td className="nowrap">{dateTime(r.started_at)}</td>
                  <td>{r.started_by}</td>
                  <td><Badge tone={runTone(r)}>{runLabel(r)}</Badge></td>
                  <td className="num">{r.checked} / {r.total}</td>
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

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { Badge, Empty, ErrorMessage, Notice } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { dateTime } from '@/lib/format';

import {
  PROBLEMS_PAGE, runningRunId, useStartVerify, useVerifyProblems, useVerifyRun, useVerifyRuns, type VerifyRun,
} from '../api/verify-runs';
import { VerifyChecks } from './verify-report';

function Progress({ run }: { run: VerifyRun }) {
  const { t } = useTranslation('audit');
  const share = run.total > 0 ? Math.min(100, Math.round((run.checked / run.total) * 100)) : 0;
  return (
    <div className="progress" role="progressbar" aria-label={t('runs.progress')} aria-valuemin={0} aria-valuemax={run.total} aria-valuenow={run.checked}>
      <span className="progress__bar"><span style={{ width: `${share}%` }} /></span>
      <span className="progress__label">{t('runs.progressLabel', { checked: run.checked, total: run.total, share })}</span>
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
  const { t } = useTranslation('audit');
  const [offset, setOffset] = useState(0);
  const problems = useVerifyProblems(run.id, offset, run.problems > 0);
  if (run.problems === 0) return null;
  if (problems.isPending) return <Spinner label={t('runs.loadingProblems')} />;
  if (problems.isError) return <ErrorMessage error={problems.error} onRetry={() => void problems.refetch()} />;
  const { items, total } = problems.data;
  return (
    <section aria-label={t('runs.problemsFound')}>
      <h3>{t('runs.problemsOf', { from: offset + 1, to: offset + items.length, total })}</h3>
      <TableWrap label={t('runs.problemsTable')}>
        <table className="table" aria-label={t('runs.problemsTable')}>
          <thead>
            <tr>
              <th scope="col">{t('runs.kind')}</th><th scope="col">{t('runs.where')}</th><th scope="col" className="num">{t('runs.position')}</th>
              <th scope="col">{t('runs.what')}</th>
            </tr>
          </thead>
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
        <button type="button" className="btn btn--ghost btn--small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PROBLEMS_PAGE))}>{t('pager.previous')}</button>
        <button type="button" className="btn btn--ghost btn--small" disabled={offset + items.length >= total} onClick={() => setOffset(offset + PROBLEMS_PAGE)}>{t('pager.next')}</button>
      </div>
    </section>
  );
}

/** One run: its progress while it runs, then its verdict, report and problems. */
function RunDetail({ runId }: { runId: string }) {
  const { t } = useTranslation('audit');
  const run = useVerifyRun(runId);
  if (run.isPending) return <Spinner label={t('runs.loadingRun')} />;
  if (run.isError) return <ErrorMessage error={run.error} onRetry={() => void run.refetch()} />;
  const r = run.data;
  return (
    <div className="verify" data-testid="verify-run">
      <p className="muted">
        {t('runs.started', { time: dateTime(r.started_at), by: r.started_by })}{r.finished_at ? ` · ${t('runs.finished', { time: dateTime(r.finished_at) })}` : ''}
      </p>
      {r.status === 'running' ? (
        <Progress run={r} />
      ) : r.report ? null : r.ok ? (
        <Notice tone="success"><strong>{t('verify.ok')}</strong> {t('runs.okChecked', { checked: r.checked, total: r.total })}</Notice>
      ) : (
        <Notice tone="warning">
          <strong>{r.status === 'failed' ? t('runs.failed') : t('verify.problems')}</strong>{' '}
          {r.status === 'failed' && r.error ? `${r.error}. ` : ''}
          {t('runs.problemsChecked', { problems: t('verify.problemCount', { count: r.problems }), checked: r.checked, total: r.total })}
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
  const { t } = useTranslation('audit');
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
      <p className="muted">{t('runs.about')}</p>
      <div className="row">
        <button type="button" className="btn" disabled={start.isPending || !!runningNow}
          onClick={() => { setChosen(null); start.mutate(undefined, { onSuccess: (run) => setChosen(run.id) }); }}>
          {start.isPending ? t('runs.starting') : runningNow ? t('runs.inProgress') : t('runs.run')}
        </button>
        {runningNow && <span className="muted" role="status">{t('runs.oneAtATime')}</span>}
      </div>
      {start.error && !alreadyRunning && <ErrorMessage error={start.error} title={t('runs.notStarted')} />}
      {alreadyRunning && <Notice>{t('runs.already')}</Notice>}
      {runs.isPending && <Spinner label={t('runs.loadingRuns')} />}
      {runs.isError && <ErrorMessage error={runs.error} title={t('runs.runsError')} onRetry={() => void runs.refetch()} />}
      {runs.isSuccess && items.length === 0 && !selected && <Empty title={t('runs.none')}><p className="muted">{t('runs.noneHint')}</p></Empty>}
      {selected && <RunDetail key={selected} runId={selected} />}
      {items.length > 0 && (
        <TableWrap label={t('runs.table')}>
          <table className="table" aria-label={t('runs.table')}>
            <thead>
              <tr>
                <th scope="col">{t('runs.startedCol')}</th><th scope="col">{t('runs.by')}</th><th scope="col">{t('runs.result')}</th>
                <th scope="col" className="num">{t('runs.checked')}</th><th scope="col" className="num">{t('runs.problems')}</th>
                <th scope="col"><span className="sr-only">{t('pager.show')}</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} aria-current={r.id === selected ? 'true' : undefined}>
                  <td className="nowrap">{dateTime(r.started_at)}</td>
                  <td>{r.started_by}</td>
                  <td><Badge tone={runTone(r)}>{t(`runs.status.${runLabel(r)}`)}</Badge></td>
                  <td className="num">{r.checked} / {r.total}</td>
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

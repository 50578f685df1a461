import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ConfirmDialog } from '@/components/ui/confirm';
import { Badge, ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { number } from '@/lib/format';

import { useProjectionsAdmin, useRebuild, type ProjectionStatus } from '../api/operations';

function RebuildProgress({ p }: { p: ProjectionStatus }) {
  const { t } = useTranslation('admin');
  const r = p.rebuild;
  if (r.state === 'idle') return r.finished_at ? <span className="muted">{t('operations.lastRebuilt')}</span> : null;
  if (r.state === 'failed') return <Badge tone="red">{r.error ? t('operations.failedWhy', { error: r.error }) : t('operations.failed')}</Badge>;
  const share = r.total > 0 ? Math.min(100, Math.round((r.done / r.total) * 100)) : 0;
  return (
    <div className="progress" role="progressbar" aria-label={t('operations.rebuildOf', { name: p.name })} aria-valuemin={0} aria-valuemax={r.total} aria-valuenow={r.done}>
      <span className="progress__bar"><span style={{ width: `${share}%` }} /></span>
      <span className="progress__label">
        {r.state === 'swapping' ? t('operations.swapping') : t('operations.doneOf', { done: number(r.done), total: number(r.total) })} ({share}%){r.eta_seconds ? ` · ${t('operations.left', { seconds: Math.ceil(r.eta_seconds) })}` : ''}
      </span>
    </div>
  );
}

/** A read model caught up in partitions: where each stands (its streams apart from the others'). */
function Partitions({ p }: { p: ProjectionStatus }) {
  const { t } = useTranslation('admin');
  const parts = p.partitions;
  if (parts.length === 0) return null;
  return (
    <ul className="partitions muted" aria-label={t('operations.partitionsOf', { name: p.name })}>
      {parts.map((part) => (
        <li key={part.partition}>
          {t('operations.partition', { partition: part.partition, position: part.position })}
          {part.lag_events > 0 && ` ${t('operations.behind', { count: part.lag_events })}`}
          {part.last_error && <> <Badge tone="red">{t('operations.error')}</Badge></>}
        </li>
      ))}
    </ul>
  );
}

/** Projections with their lag, and a rebuild from the whole log with its progress (admins). */
export function ProjectionsAdmin() {
  const { t } = useTranslation('admin');
  const projections = useProjectionsAdmin();
  const rebuild = useRebuild();
  const [asking, setAsking] = useState<string | null>(null);
  if (projections.isPending) return <Spinner label={t('operations.loading')} />;
  if (projections.isError) return <ErrorMessage error={projections.error} onRetry={() => void projections.refetch()} />;
  return (
    <>
      {rebuild.error && <ErrorMessage error={rebuild.error} title={t('operations.notStarted')} />}
      <TableWrap label={t('operations.table')}>
        <table className="table table--middle" aria-label={t('operations.table')}>
          <thead>
            <tr><th scope="col">{t('operations.projection')}</th><th scope="col" className="num">{t('operations.position')}</th><th scope="col" className="num">{t('operations.lag')}</th>
              <th scope="col">{t('operations.state')}</th><th scope="col">{t('operations.rebuild')}</th><th scope="col"><span className="sr-only">{t('organizers.actions')}</span></th></tr>
          </thead>
          <tbody>
            {projections.data.map((p) => {
              const busy = p.rebuild.state === 'rebuilding' || p.rebuild.state === 'swapping';
              return (
                <tr key={p.name} data-testid={`projection-${p.name}`}>
                  <th scope="row">{p.name}</th>
                  <td className="num">{p.position} / {p.head}<Partitions p={p} /></td>
                  <td className="num">{p.lag_events}</td>
                  <td>{p.last_error ? <Badge tone="red">{t('operations.error')}</Badge> : p.lag_events === 0 ? <Badge tone="green">{t('operations.upToDate')}</Badge> : <Badge tone="amber">{t('operations.catchingUp')}</Badge>}</td>
                  <td><RebuildProgress p={p} /></td>
                  <td>
                    <button type="button" className="btn btn--ghost btn--small" disabled={busy || rebuild.isPending}
                      onClick={() => setAsking(p.name)}>{busy ? t('operations.rebuilding') : t('operations.rebuild')}</button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      <ConfirmDialog
        open={!!asking} title={t('operations.ask', { name: asking ?? '' })} confirmLabel={t('operations.rebuild')} cancelLabel={t('manage:lifecycle.notNow')} busy={rebuild.isPending}
        onCancel={() => setAsking(null)}
        onConfirm={() => asking && rebuild.mutate(asking, { onSettled: () => setAsking(null) })}
      >
        <p>{t('operations.body')}</p>
      </ConfirmDialog>
    </>
  );
}

import { useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm';
import { Badge, ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';

import { useProjectionsAdmin, useRebuild, type ProjectionStatus } from '../api/operations';

function RebuildProgress({ p }: { p: ProjectionStatus }) {
  const r = p.rebuild;
  if (r.state === 'idle') return r.finished_at ? <span className="muted">last rebuilt</span> : null;
  if (r.state === 'failed') return <Badge tone="red">{`rebuild failed${r.error ? `: ${r.error}` : ''}`}</Badge>;
  const share = r.total > 0 ? Math.min(100, Math.round((r.done / r.total) * 100)) : 0;
  return (
    <div className="progress" role="progressbar" aria-label={`Rebuild of ${p.name}`} aria-valuemin={0} aria-valuemax={r.total} aria-valuenow={r.done}>
      <span className="progress__bar"><span style={{ width: `${share}%` }} /></span>
      <span className="progress__label">
        {r.state === 'swapping' ? 'swapping in' : `${r.done} of ${r.total}`} ({share}%){r.eta_seconds ? ` · about ${Math.ceil(r.eta_seconds)} s left` : ''}
      </span>
    </div>
  );
}

/** A read model caught up in partitions: where each stands (its streams apart from the others'). */
function Partitions({ p }: { p: ProjectionStatus }) {
  const parts = p.partitions;
  if (parts.length === 0) return null;
  return (
    <ul className="partitions muted" aria-label={`Partitions of ${p.name}`}>
      {parts.map((part) => (
        <li key={part.partition}>
          {`partition ${part.partition}: ${part.position}`}
          {part.lag_events > 0 && ` (${part.lag_events} behind)`}
          {part.last_error && <> <Badge tone="red">error</Badge></>}
        </li>
      ))}
    </ul>
  );
}

/** Projections with their lag, and a rebuild from the whole log with its progress (admins). */
export function ProjectionsAdmin() {
  const projections = useProjectionsAdmin();
  const rebuild = useRebuild();
  const [asking, setAsking] = useState<string | null>(null);
  if (projections.isPending) return <Spinner label="Reading projections" />;
  if (projections.isError) return <ErrorMessage error={projections.error} onRetry={() => void projections.refetch()} />;
  return (
    <>
      {rebuild.error && <ErrorMessage error={rebuild.error} title="Rebuild not started" />}
      <TableWrap label="Projections to rebuild">
        <table className="table table--middle" aria-label="Projections to rebuild">
          <thead>
            <tr><th scope="col">Projection</th><th scope="col" className="num">Position</th><th scope="col" className="num">Lag</th>
              <th scope="col">State</th><th scope="col">Rebuild</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {projections.data.map((p) => {
              const busy = p.rebuild.state === 'rebuilding' || p.rebuild.state === 'swapping';
              return (
                <tr key={p.name} data-testid={`projection-${p.name}`}>
                  <th scope="row">{p.name}</th>
                  <td className="num">{p.position} / {p.head}<Partitions p={p} /></td>
                  <td className="num">{p.lag_events}</td>
                  <td>{p.last_error ? <Badge tone="red">error</Badge> : p.lag_events === 0 ? <Badge tone="green">up to date</Badge> : <Badge tone="amber">catching up</Badge>}</td>
                  <td><RebuildProgress p={p} /></td>
                  <td>
                    <button type="button" className="btn btn--ghost btn--small" disabled={busy || rebuild.isPending}
                      onClick={() => setAsking(p.name)}>{busy ? 'Rebuilding…' : 'Rebuild'}</button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      <ConfirmDialog
        open={!!asking} title={`Rebuild ${asking ?? ''}?`} confirmLabel="Rebuild" cancelLabel="Not now" busy={rebuild.isPending}
        onCancel={() => setAsking(null)}
        onConfirm={() => asking && rebuild.mutate(asking, { onSettled: () => setAsking(null) })}
      >
        <p>Its tables are rebuilt from the whole log beside the live ones, then swapped in: reads keep working meanwhile.</p>
      </ConfirmDialog>
    </>
  );
}

import { Fragment, useState } from 'react';
import { Link } from 'react-router-dom';

import { SalesCharts } from '@/components/charts/sales-chart';
import { ConfirmDialog } from '@/components/ui/confirm';
import { Badge, Empty, ErrorMessage, statusTone } from '@/components/ui/feedback';
import { ReasonDialog } from '@/components/ui/reason-dialog';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { useAuth } from '@/lib/auth';
import { money } from '@/lib/format';
import { useLiveAvailability } from '@/lib/live';

import { useCancelEvent } from '../api/events';
import { useStats, type EventStats } from '../api/stats';
import { MoneyTotals } from './money-totals';
import { TransferDialog } from './transfer-dialog';

function Kpi({ label, value, note, testId }: { label: string; value: string | number; note?: string; testId?: string }) {
  return (
    <div className="kpi" data-testid={testId}>
      <span className="kpi__label">{label}</span>
      <strong className="kpi__value">{value}</strong>
      {note && <small className="muted">{note}</small>}
    </div>
  );
}

/** Highest position the live streams of these events have shown (a sale moves it). */
function useLivePosition(eventIds: string[]): number | undefined {
  const live = useLiveAvailability(eventIds.slice(0, 100));
  const seen = Object.values(live).map((v) => v.position);
  return seen.length ? Math.max(...seen) : undefined;
}

/**
 * Sales of the events the signed-in user runs (an admin: every event), live. The money headline
 * per currency is what payments collected (less what they gave back), the sales' net beside it:
 * the two differ while bookings are owed or refunds still to be given back.
 */
export function AdminDashboard() {
  const { user, hasRole } = useAuth();
  const admin = hasRole('admin');
  // Its organizer (or an admin) cancels or transfers an event; a co-organizer edits and reads it.
  const owns = (e: EventStats) => admin || (!!user && e.organizer_id === user.id);
  const [minPosition, setMinPosition] = useState<number>();
  const stats = useStats(undefined, minPosition);
  const cancel = useCancelEvent();
  const [pending, setPending] = useState<EventStats | null>(null);
  const [moving, setMoving] = useState<EventStats | null>(null);
  const live = useLivePosition(stats.data?.events.map((e) => e.id) ?? []);
  if (live !== undefined && stats.data && live > stats.data.position && live !== minPosition) setMinPosition(live);

  if (stats.isPending) return <Spinner label="Loading statistics" />;
  if (stats.isError) return <ErrorMessage error={stats.error} onRetry={() => void stats.refetch()} />;
  const { totals, events, sales_over_time: sales } = stats.data;

  return (
    <>
      <section className="kpis" aria-label="Totals">
        <Kpi label="Events" value={totals.events} />
        <Kpi label="Bookings" value={totals.bookings} />
        <Kpi label="Tickets sold" value={totals.tickets_sold} />
        {totals.money.map((m) => (
          <Fragment key={m.currency}>
            <Kpi label={`Net collected · ${m.currency}`} value={money(m.collected_net, m.currency)} testId={`kpi-collected-${m.currency}`}
              note={`${money(m.collected, m.currency)} collected · ${money(m.returned, m.currency)} returned`} />
            <Kpi label={`Net sales · ${m.currency}`} value={money(m.net, m.currency)} testId={`kpi-sales-net-${m.currency}`}
              note={`${money(m.revenue, m.currency)} gross sales · ${money(m.refunds, m.currency)} refunded`} />
          </Fragment>
        ))}
      </section>
      <MoneyTotals totals={totals.money} />
      <section className="card">
        <h2>Sales over time</h2>
        <SalesCharts sales={sales} />
      </section>
      <section className="card">
        <div className="section-head">
          <h2>{admin ? 'Events' : 'Your events'}</h2>
          <Link className="btn btn--small" to="/admin/events/new">+ New event</Link>
        </div>
        {events.length === 0 ? (
          <Empty title="No events yet"><p className="muted">Create the first one.</p></Empty>
        ) : (
          <TableWrap label="Events with sales">
            <table className="table" aria-label="Events with sales">
              <thead>
                <tr>
                  <th scope="col">Event</th>{admin && <th scope="col">Organizer</th>}<th scope="col">Status</th>
                  <th scope="col" className="num">Bookings</th><th scope="col" className="num">Tickets sold</th>
                  <th scope="col" className="num">Gross sales</th><th scope="col" className="num">Refunded</th>
                  <th scope="col" className="num">Collected</th><th scope="col" className="num">Returned</th>
                  <th scope="col"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id} data-testid={`stats-${e.name}`}>
                    <th scope="row"><Link to={`/events/${e.id}`}>{e.name}</Link></th>
                    {admin && (
                      <td>{e.organizer_id ? <Link to={`/organizers/${e.organizer_id}`}>{e.organizer_name}</Link> : <span className="muted">admins</span>}</td>
                    )}
                    <td><Badge tone={statusTone(e.status)}>{e.status}</Badge> {!e.published && <Badge tone="warning">Draft</Badge>}</td>
                    <td className="num">{e.bookings}</td>
                    <td className="num" data-testid="tickets">{e.tickets_sold}</td>
                    <td className="num" data-testid="revenue">{money(e.revenue, e.currency)}</td>
                    <td className="num">{money(e.refunds, e.currency)}</td>
                    <td className="num" data-testid="collected">{money(e.collected, e.currency)}</td>
                    <td className="num" data-testid="returned">{money(e.returned, e.currency)}</td>
                    <td className="actions">
                      <Link to={`/admin/events/${e.id}/box-office`}>Box office</Link>
                      <Link to={`/admin/events/${e.id}/bookings`}>Bookings</Link>
                      <Link to={`/admin/events/${e.id}/vouchers`}>Vouchers</Link>
                      {e.status === 'active' && <Link to={`/admin/events/${e.id}/edit`}>Edit</Link>}
                      {owns(e) && <button type="button" className="link" onClick={() => setMoving(e)}>Transfer</button>}
                      {e.status === 'active' && owns(e) && (
                        <button type="button" className="link link--danger" onClick={() => setPending(e)}>{e.published ? 'Cancel' : 'Discard'}</button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      <ReasonDialog
        open={!!pending && pending.published} title={`Cancel “${pending?.name ?? ''}”?`} confirmLabel="Cancel the event" busy={cancel.isPending}
        required={false} error={cancel.error}
        onCancel={() => { setPending(null); cancel.reset(); }}
        onConfirm={(reason) => pending && cancel.mutate({ eventId: pending.id, reason: reason || undefined }, { onSuccess: () => setPending(null) })}
      >
        <p>Every booking on it is cancelled and refunded ({pending?.bookings ?? 0} confirmed). This cannot be undone.</p>
        {admin && <p className="muted">Once the event has started, an admin must say why.</p>}
      </ReasonDialog>
      <ConfirmDialog
        open={!!pending && !pending.published} title={`Discard “${pending?.name ?? ''}”?`} confirmLabel="Discard it" cancelLabel="Keep the draft"
        focus="cancel" busy={cancel.isPending}
        onCancel={() => { setPending(null); cancel.reset(); }}
        onConfirm={() => pending && cancel.mutate({ eventId: pending.id }, { onSuccess: () => setPending(null) })}
      >
        <p>It was never on sale, so nobody has tickets for it. It stays in your events, marked cancelled, and can no longer be published. This cannot be undone.</p>
        {cancel.error ? <ErrorMessage error={cancel.error} title="Not discarded" /> : null}
      </ConfirmDialog>
      {moving && <TransferDialog event={moving} onClose={() => setMoving(null)} />}
    </>
  );
}

import { useState } from 'react';
import { Link } from 'react-router-dom';

import { ConfirmDialog } from '@/components/ui/confirm';
import { Badge, Empty, ErrorMessage, statusTone } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { money } from '@/lib/format';

import { useCancelEvent } from '../api/events';
import { useStats, type EventStats } from '../api/stats';
import { CheckInForm } from './check-in-form';
import { SalesChart } from './sales-chart';

function Kpi({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="kpi">
      <span className="kpi__label">{label}</span>
      <strong className="kpi__value">{value}</strong>
    </div>
  );
}

export function AdminDashboard({ currency = 'EUR' }: { currency?: string }) {
  const stats = useStats();
  const cancel = useCancelEvent();
  const [pending, setPending] = useState<EventStats | null>(null);

  if (stats.isPending) return <Spinner label="Loading statistics" />;
  if (stats.isError) return <ErrorMessage error={stats.error} onRetry={() => void stats.refetch()} />;
  const { totals, events, sales_over_time: sales } = stats.data;

  return (
    <>
      <section className="kpis" aria-label="Totals">
        <Kpi label="Events" value={totals.events} />
        <Kpi label="Bookings" value={totals.bookings} />
        <Kpi label="Tickets sold" value={totals.tickets_sold} />
        <Kpi label="Revenue" value={money(totals.revenue, currency)} />
        <Kpi label="Refunds" value={money(totals.refunds, currency)} />
        <Kpi label="Net" value={money(totals.net, currency)} />
      </section>
      <section className="card">
        <h2>Sales over time</h2>
        <SalesChart sales={sales} />
      </section>
      <section className="card">
        <div className="section-head">
          <h2>Events</h2>
          <Link className="btn btn--small" to="/admin/events/new">+ New event</Link>
        </div>
        {cancel.error && <ErrorMessage error={cancel.error} title="Not cancelled" />}
        {events.length === 0 ? (
          <Empty title="No events yet"><p className="muted">Create the first one.</p></Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" aria-label="Events with sales">
              <thead>
                <tr>
                  <th scope="col">Event</th><th scope="col">Status</th><th scope="col" className="num">Bookings</th>
                  <th scope="col" className="num">Tickets sold</th><th scope="col" className="num">Revenue</th>
                  <th scope="col" className="num">Refunds</th><th scope="col"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id} data-testid={`stats-${e.name}`}>
                    <th scope="row"><Link to={`/events/${e.id}`}>{e.name}</Link></th>
                    <td><Badge tone={statusTone(e.status)}>{e.status}</Badge></td>
                    <td className="num">{e.bookings}</td>
                    <td className="num">{e.tickets_sold}</td>
                    <td className="num" data-testid="revenue">{money(e.revenue, currency)}</td>
                    <td className="num">{money(e.refunds, currency)}</td>
                    <td className="actions">
                      <Link to={`/admin/events/${e.id}/bookings`}>Bookings</Link>
                      {e.status === 'active' && <Link to={`/admin/events/${e.id}/edit`}>Edit</Link>}
                      {e.status === 'active' && (
                        <button type="button" className="link link--danger" onClick={() => setPending(e)}>Cancel</button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card">
        <h2>Check in a ticket</h2>
        <CheckInForm />
      </section>
      <ConfirmDialog
        open={!!pending} title={`Cancel “${pending?.name ?? ''}”?`} confirmLabel="Cancel the event" busy={cancel.isPending}
        onCancel={() => setPending(null)}
        onConfirm={() => pending && cancel.mutate(pending.id, { onSettled: () => setPending(null) })}
      >
        <p>Every booking on it is cancelled and refunded ({pending?.bookings ?? 0} confirmed). This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}

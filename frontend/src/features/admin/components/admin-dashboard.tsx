import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { SalesCharts } from '@/components/charts/sales-chart';
import { ConfirmDialog } from '@/components/ui/confirm';
import { Badge, Empty, ErrorMessage, statusTone, statusWord } from '@/components/ui/feedback';
import { ReasonDialog } from '@/components/ui/reason-dialog';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { useAuth } from '@/lib/auth';
import { money, number } from '@/lib/format';
import { useLiveAvailability } from '@/lib/live';
import { personName } from '@/lib/persons';

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
  const { t } = useTranslation('organizer');
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

  if (stats.isPending) return <Spinner label={t('dashboard.loading')} />;
  if (stats.isError) return <ErrorMessage error={stats.error} onRetry={() => void stats.refetch()} />;
  const { totals, events, sales_over_time: sales } = stats.data;

  return (
    <>
      <section className="kpis" aria-label={t('dashboard.totals')}>
        <Kpi label={t('dashboard.events')} value={number(totals.events)} />
        <Kpi label={t('dashboard.bookings')} value={number(totals.bookings)} />
        <Kpi label={t('dashboard.ticketsSold')} value={number(totals.tickets_sold)} />
        {totals.money.map((m) => (
          <Fragment key={m.currency}>
            <Kpi label={t('dashboard.netCollectedIn', { currency: m.currency })} value={money(m.collected_net, m.currency)} testId={`kpi-collected-${m.currency}`}
              note={t('dashboard.collectedNote', { collected: money(m.collected, m.currency), returned: money(m.returned, m.currency) })} />
            <Kpi label={t('dashboard.netSalesIn', { currency: m.currency })} value={money(m.net, m.currency)} testId={`kpi-sales-net-${m.currency}`}
              note={t('dashboard.salesNote', { gross: money(m.revenue, m.currency), refunded: money(m.refunds, m.currency) })} />
          </Fragment>
        ))}
      </section>
      <MoneyTotals totals={totals.money} />
      <section className="card">
        <h2>{t('dashboard.salesOverTime')}</h2>
        <SalesCharts sales={sales} />
      </section>
      <section className="card">
        <div className="section-head">
          <h2>{admin ? t('dashboard.events') : t('dashboard.yourEvents')}</h2>
          <Link className="btn btn--small" to="/admin/events/new">{t('dashboard.newEvent')}</Link>
        </div>
        {events.length === 0 ? (
          <Empty title={t('dashboard.noEvents')}><p className="muted">{t('dashboard.createFirst')}</p></Empty>
        ) : (
          <TableWrap label={t('dashboard.table')}>
            <table className="table" aria-label={t('dashboard.table')}>
              <thead>
                <tr>
                  <th scope="col">{t('bookings.event')}</th>{admin && <th scope="col">{t('dashboard.organizer')}</th>}<th scope="col">{t('bookings.status')}</th>
                  <th scope="col" className="num">{t('dashboard.bookings')}</th><th scope="col" className="num">{t('dashboard.ticketsSold')}</th>
                  <th scope="col" className="num">{t('money.gross')}</th><th scope="col" className="num">{t('money.refunded')}</th>
                  <th scope="col" className="num">{t('money.collected')}</th><th scope="col" className="num">{t('money.returned')}</th>
                  <th scope="col"><span className="sr-only">{t('bookings.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id} data-testid={`stats-${e.name}`}>
                    <th scope="row"><Link to={`/events/${e.id}`}>{e.name}</Link></th>
                    {admin && (
                      <td>{e.organizer_id ? <Link to={`/organizers/${e.organizer_id}`}>{personName(e.organizer_name)}</Link> : <span className="muted">{t('dashboard.admins')}</span>}</td>
                    )}
                    <td><Badge tone={statusTone(e.status)}>{statusWord(e.status)}</Badge> {!e.published && <Badge tone="warning">{t('events:draft')}</Badge>}</td>
                    <td className="num">{number(e.bookings)}</td>
                    <td className="num" data-testid="tickets">{number(e.tickets_sold)}</td>
                    <td className="num" data-testid="revenue">{money(e.revenue, e.currency)}</td>
                    <td className="num">{money(e.refunds, e.currency)}</td>
                    <td className="num" data-testid="collected">{money(e.collected, e.currency)}</td>
                    <td className="num" data-testid="returned">{money(e.returned, e.currency)}</td>
                    <td className="actions">
                      <Link to={`/admin/events/${e.id}/box-office`}>{t('manage:boxOffice')}</Link>
                      <Link to={`/admin/events/${e.id}/bookings`}>{t('manage:bookings')}</Link>
                      <Link to={`/admin/events/${e.id}/vouchers`}>{t('manage:vouchers')}</Link>
                      {e.status === 'active' && <Link to={`/admin/events/${e.id}/edit`}>{t('manage:edit')}</Link>}
                      {owns(e) && <button type="button" className="link" onClick={() => setMoving(e)}>{t('transfer.action')}</button>}
                      {e.status === 'active' && owns(e) && (
                        <button type="button" className="link link--danger" onClick={() => setPending(e)}>{e.published ? t('dashboard.cancel') : t('dashboard.discard')}</button>
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
        open={!!pending && pending.published} title={t('manage:lifecycle.cancelAsk', { name: pending?.name ?? '' })} confirmLabel={t('manage:lifecycle.cancel')} busy={cancel.isPending}
        required={false} error={cancel.error}
        onCancel={() => { setPending(null); cancel.reset(); }}
        onConfirm={(reason) => pending && cancel.mutate({ eventId: pending.id, reason: reason || undefined }, { onSuccess: () => setPending(null) })}
      >
        <p>{t('dashboard.cancelBody', { count: pending?.bookings ?? 0 })}</p>
        {admin && <p className="muted">{t('dashboard.adminWhy')}</p>}
      </ReasonDialog>
      <ConfirmDialog
        open={!!pending && !pending.published} title={t('manage:draft.ask', { name: pending?.name ?? '' })} confirmLabel={t('manage:draft.confirm')} cancelLabel={t('manage:draft.keep')}
        focus="cancel" busy={cancel.isPending}
        onCancel={() => { setPending(null); cancel.reset(); }}
        onConfirm={() => pending && cancel.mutate({ eventId: pending.id }, { onSuccess: () => setPending(null) })}
      >
        <p>{t('manage:draft.body')}</p>
        {cancel.error ? <ErrorMessage error={cancel.error} title={t('manage:draft.notDiscarded')} /> : null}
      </ConfirmDialog>
      {moving && <TransferDialog event={moving} onClose={() => setMoving(null)} />}
    </>
  );
}

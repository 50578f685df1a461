import { useMutation } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';

import { SalesCharts } from '@/components/charts/sales-chart';
import { Empty, ErrorMessage, Notice } from '@/components/ui/feedback';
import { Field, SelectField } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { dateTime, money, plural } from '@/lib/format';

import {
  downloadRevenueCsv, useRevenue, type RevenueGroup, type RevenueQuery, type RevenueReport as RevenueReportData, type RevenueRow,
} from '../api/revenue';

const GROUPS: { value: RevenueGroup; label: string }[] = [
  { value: 'event', label: 'Per event' },
  { value: 'organizer', label: 'Per organizer' },
  { value: 'total', label: 'Total' },
];

/**
 * A day picked in a date input as a bound of the period [from, to), in local time, ISO: its
 * start, or with `end` the start of the next day (the day itself included).
 */
export function dayBound(day: string, end = false): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, end ? d + 1 : d).toISOString();
}

function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The period presets: the last n days up to today. */
function lastDays(n: number): { from: string; to: string } {
  const today = new Date();
  return { from: isoDay(new Date(today.getFullYear(), today.getMonth(), today.getDate() - (n - 1))), to: isoDay(today) };
}

/** The query the address describes (?group=&from=&to=&event=&organizer=). */
export function revenueQuery(params: URLSearchParams): RevenueQuery {
  const group = (params.get('group') as RevenueGroup | null) ?? 'event';
  return {
    group: GROUPS.some((g) => g.value === group) ? group : 'event',
    from: dayBound(params.get('from') ?? ''),
    to: dayBound(params.get('to') ?? '', true),
    event_id: params.get('event') ?? undefined,
    organizer_id: params.get('organizer') ?? undefined,
  };
}

/**
 * Revenue per event, per organizer or in total for a period, per currency (never summed across
 * currencies), with the sales chart and the same report as a CSV file.
 */
export function RevenueReport() {
  const [params, setParams] = useSearchParams();
  const query = revenueQuery(params);
  const report = useRevenue(query);
  const csv = useMutation({ mutationFn: () => downloadRevenueCsv(query) });
  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    Object.entries(changes).forEach(([k, v]) => (v ? next.set(k, v) : next.delete(k)));
    setParams(next, { replace: true });
  };
  const only = (row: RevenueRow) =>
    set(query.group === 'event' ? { event: row.key } : query.group === 'organizer' ? { organizer: row.key } : {});

  return (
    <div className="revenue">
      <form className="filters filters--revenue" aria-label="Revenue period" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="Group" value={query.group} onChange={(e) => set({ group: e.target.value })}>
          {GROUPS.map((g) => <option key={g.value} value={g.value}>{g.label}</option>)}
        </SelectField>
        <Field label="From" type="date" value={params.get('from') ?? ''} onChange={(e) => set({ from: e.target.value })} />
        <Field label="To" type="date" value={params.get('to') ?? ''} onChange={(e) => set({ to: e.target.value })} />
        <div className="field">
          <span className="field__label">Period</span>
          <div className="row">
            <button type="button" className="btn btn--ghost btn--small" onClick={() => set(lastDays(7))}>7 days</button>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => set(lastDays(30))}>30 days</button>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => set({ from: undefined, to: undefined })}>Clear dates</button>
          </div>
        </div>
      </form>
      {(query.event_id || query.organizer_id) && (
        <p className="row">
          <span className="muted">Only {query.event_id ? 'one event' : 'one organizer'}.</span>
          <button type="button" className="link" onClick={() => set({ event: undefined, organizer: undefined })}>Show all</button>
        </p>
      )}
      <div className="row revenue__bar">
        <p className="muted" data-testid="revenue-period">
          {report.report && (report.report.from || report.report.to)
            ? `From ${report.report.from ? dateTime(report.report.from) : 'the first sale'} to ${report.report.to ? dateTime(report.report.to) : 'now'}`
            : ''}
        </p>
        <span className="row">
          {csv.data && <span className="muted" role="status">Saved {csv.data}</span>}
          <button type="button" className="btn" disabled={csv.isPending || !report.isSuccess} onClick={() => csv.mutate()}>
            {csv.isPending ? 'Preparing…' : 'Download CSV'}
          </button>
        </span>
      </div>
      {csv.error && <ErrorMessage error={csv.error} title="The CSV could not be downloaded" />}

      {report.isPending && <Spinner label="Adding up the revenue" />}
      {report.isError && <ErrorMessage error={report.error} title="The revenue cannot be read" onRetry={() => void report.refetch()} />}
      {report.report && <RevenueFigures report={report.report} group={query.group} onOnly={query.group === 'total' ? undefined : only} busy={report.isFetching} />}
      {report.hasNextPage && (
        <div className="center">
          <button type="button" className="btn btn--ghost" disabled={report.isFetchingNextPage} onClick={() => void report.fetchNextPage()}>
            {report.isFetchingNextPage ? 'Loading…' : 'More rows'}
          </button>
        </div>
      )}
    </div>
  );
}

function RevenueFigures({ report, group, onOnly, busy }: {
  report: RevenueReportData; group: RevenueGroup; onOnly?: (row: RevenueRow) => void; busy: boolean;
}) {
  if (report.rows.length === 0 && report.totals.length === 0) {
    return <Empty title="No sales in this period"><p className="muted">Choose another period.</p></Empty>;
  }
  return (
    <div aria-busy={busy}>
      <section className="kpis" aria-label="Totals per currency">
        {report.totals.map((t) => (
          <div className="kpi" key={t.currency} data-testid={`revenue-total-${t.currency}`}>
            <span className="kpi__label">Gross sales · {t.currency}</span>
            <strong className="kpi__value">{money(t.revenue, t.currency)}</strong>
            <small className="muted">{plural(t.tickets_sold, 'ticket')} · {plural(t.bookings, 'booking')} · {t.cancellations} cancelled · {money(t.refunded, t.currency)} refunded</small>
            <small data-testid={`revenue-net-${t.currency}`}>Net sales {money(t.net, t.currency)}</small>
            <small className="muted" data-testid={`revenue-collected-${t.currency}`}>
              Collected {money(t.collected, t.currency)} · returned {money(t.returned, t.currency)} · net collected {money(t.collected_net, t.currency)}
            </small>
          </div>
        ))}
      </section>
      <section className="card">
        <h2>Sales per day</h2>
        <SalesCharts sales={report.series.map((p) => ({ day: p.day, currency: p.currency, revenue: p.revenue, tickets: p.tickets_sold }))}
          emptyText="No sale in this period." />
      </section>
      {group !== 'total' && (
        <section className="card">
          <h2>{group === 'event' ? 'Per event' : 'Per organizer'}</h2>
          {report.rows.length === 0 ? <Notice>No row in this period.</Notice> : (
            <TableWrap label={group === 'event' ? 'Revenue per event' : 'Revenue per organizer'}>
              <table className="table" aria-label={group === 'event' ? 'Revenue per event' : 'Revenue per organizer'}>
                <thead>
                  <tr>
                    <th scope="col">{group === 'event' ? 'Event' : 'Organizer'}</th><th scope="col">Currency</th>
                    <th scope="col" className="num">Gross sales</th><th scope="col" className="num">Tickets</th>
                    <th scope="col" className="num">Bookings</th><th scope="col" className="num">Cancelled</th>
                    <th scope="col" className="num">Refunded</th><th scope="col" className="num">Net sales</th>
                    <th scope="col" className="num">Collected</th>
                    <th scope="col"><span className="sr-only">Filter</span></th>
                  </tr>
                </thead>
                <tbody>
                  {report.rows.map((r) => (
                    <tr key={`${r.key}-${r.currency}`} data-testid={`revenue-row-${r.name}`}>
                      <th scope="row">{r.name}</th>
                      <td>{r.currency}</td>
                      <td className="num">{money(r.revenue, r.currency)}</td>
                      <td className="num">{r.tickets_sold}</td>
                      <td className="num">{r.bookings}</td>
                      <td className="num">{r.cancellations}</td>
                      <td className="num">{money(r.refunded, r.currency)}</td>
                      <td className="num">{money(r.net, r.currency)}</td>
                      <td className="num">{money(r.collected_net, r.currency)}</td>
                      <td>{onOnly && <button type="button" className="link" onClick={() => onOnly(r)}>Only this</button>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </section>
      )}
    </div>
  );
}

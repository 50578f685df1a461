import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import { SalesCharts } from '@/components/charts/sales-chart';
import { Empty, ErrorMessage, Notice } from '@/components/ui/feedback';
import { Field, SelectField } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { dateTime, money } from '@/lib/format';
import { personName } from '@/lib/persons';

import {
  downloadRevenueCsv, useRevenue, type RevenueGroup, type RevenueQuery, type RevenueReport as RevenueReportData, type RevenueRow,
} from '../api/revenue';

// Each group's words: a key of audit:revenue.groups.
const GROUPS: RevenueGroup[] = ['event', 'organizer', 'total'];

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
    group: GROUPS.includes(group) ? group : 'event',
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
  const { t } = useTranslation('audit');
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
      <form className="filters filters--revenue" aria-label={t('revenue.form')} onSubmit={(e) => e.preventDefault()}>
        <SelectField label={t('revenue.group')} value={query.group} onChange={(e) => set({ group: e.target.value })}>
          {GROUPS.map((g) => <option key={g} value={g}>{t(`revenue.groups.${g}`)}</option>)}
        </SelectField>
        <Field label={t('revenue.from')} type="date" value={params.get('from') ?? ''} onChange={(e) => set({ from: e.target.value })} />
        <Field label={t('revenue.to')} type="date" value={params.get('to') ?? ''} onChange={(e) => set({ to: e.target.value })} />
        <div className="field">
          <span className="field__label">{t('revenue.period')}</span>
          <div className="row">
            <button type="button" className="btn btn--ghost btn--small" onClick={() => set(lastDays(7))}>{t('revenue.days7')}</button>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => set(lastDays(30))}>{t('revenue.days30')}</button>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => set({ from: undefined, to: undefined })}>{t('revenue.clear')}</button>
          </div>
        </div>
      </form>
      {(query.event_id || query.organizer_id) && (
        <p className="row">
          <span className="muted">{query.event_id ? t('revenue.onlyEvent') : t('revenue.onlyOrganizer')}</span>
          <button type="button" className="link" onClick={() => set({ event: undefined, organizer: undefined })}>{t('revenue.showAll')}</button>
        </p>
      )}
      <div className="row revenue__bar">
        <p className="muted" data-testid="revenue-period">
          {report.report && (report.report.from || report.report.to)
            ? t('revenue.range', {
              from: report.report.from ? dateTime(report.report.from) : t('revenue.firstSale'),
              to: report.report.to ? dateTime(report.report.to) : t('revenue.now'),
            })
            : ''}
        </p>
        <span className="row">
          {csv.data && <span className="muted" role="status">{t('revenue.saved', { name: csv.data })}</span>}
          <button type="button" className="btn" disabled={csv.isPending || !report.isSuccess} onClick={() => csv.mutate()}>
            {csv.isPending ? t('revenue.preparing') : t('revenue.csv')}
          </button>
        </span>
      </div>
      {csv.error && <ErrorMessage error={csv.error} title={t('revenue.csvError')} />}

      {report.isPending && <Spinner label={t('revenue.loading')} />}
      {report.isError && <ErrorMessage error={report.error} title={t('revenue.error')} onRetry={() => void report.refetch()} />}
      {report.report && <RevenueFigures report={report.report} group={query.group} onOnly={query.group === 'total' ? undefined : only} busy={report.isFetching} />}
      {report.hasNextPage && (
        <div className="center">
          <button type="button" className="btn btn--ghost" disabled={report.isFetchingNextPage} onClick={() => void report.fetchNextPage()}>
            {report.isFetchingNextPage ? t('common:loadingMore') : t('revenue.more')}
          </button>
        </div>
      )}
    </div>
  );
}

function RevenueFigures({ report, group, onOnly, busy }: {
  report: RevenueReportData; group: RevenueGroup; onOnly?: (row: RevenueRow) => void; busy: boolean;
}) {
  const { t } = useTranslation('audit');
  if (report.rows.length === 0 && report.totals.length === 0) {
    return <Empty title={t('revenue.none')}><p className="muted">{t('revenue.noneHint')}</p></Empty>;
  }
  return (
    <div aria-busy={busy}>
      <section className="kpis" aria-label={t('revenue.totals')}>
        {report.totals.map((total) => (
          <div className="kpi" key={total.currency} data-testid={`revenue-total-${total.currency}`}>
            <span className="kpi__label">{t('revenue.grossIn', { currency: total.currency })}</span>
            <strong className="kpi__value">{money(total.revenue, total.currency)}</strong>
            <small className="muted">
              {t('revenue.summary', {
                tickets: t('revenue.tickets', { count: total.tickets_sold }), bookings: t('revenue.bookings', { count: total.bookings }),
                cancelled: total.cancellations, refunded: money(total.refunded, total.currency),
              })}
            </small>
            <small data-testid={`revenue-net-${total.currency}`}>{t('revenue.netSales', { amount: money(total.net, total.currency) })}</small>
            <small className="muted" data-testid={`revenue-collected-${total.currency}`}>
              {t('revenue.collectedLine', {
                collected: money(total.collected, total.currency), returned: money(total.returned, total.currency),
                net: money(total.collected_net, total.currency),
              })}
            </small>
          </div>
        ))}
      </section>
      <section className="card">
        <h2>{t('revenue.perDay')}</h2>
        <SalesCharts sales={report.series.map((p) => ({ day: p.day, currency: p.currency, revenue: p.revenue, tickets: p.tickets_sold }))}
          emptyText={t('revenue.noSale')} />
      </section>
      {group !== 'total' && (
        <section className="card">
          <h2>{t(`revenue.groups.${group}`)}</h2>
          {report.rows.length === 0 ? <Notice>{t('revenue.noRow')}</Notice> : (
            <TableWrap label={group === 'event' ? t('revenue.tableEvent') : t('revenue.tableOrganizer')}>
              <table className="table" aria-label={group === 'event' ? t('revenue.tableEvent') : t('revenue.tableOrganizer')}>
                <thead>
                  <tr>
                    <th scope="col">{group === 'event' ? t('revenue.event') : t('revenue.organizer')}</th><th scope="col">{t('revenue.currency')}</th>
                    <th scope="col" className="num">{t('revenue.gross')}</th><th scope="col" className="num">{t('revenue.ticketsCol')}</th>
                    <th scope="col" className="num">{t('revenue.bookingsCol')}</th><th scope="col" className="num">{t('revenue.cancelled')}</th>
                    <th scope="col" className="num">{t('revenue.refunded')}</th><th scope="col" className="num">{t('revenue.net')}</th>
                    <th scope="col" className="num">{t('revenue.collected')}</th>
                    <th scope="col"><span className="sr-only">{t('revenue.filter')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  {report.rows.map((r) => (
                    <tr key={`${r.key}-${r.currency}`} data-testid={`revenue-row-${r.name}`}>
                      <th scope="row">{group === 'organizer' ? personName(r.name) : r.name}</th>
                      <td>{r.currency}</td>
                      <td className="num">{money(r.revenue, r.currency)}</td>
                      <td className="num">{r.tickets_sold}</td>
                      <td className="num">{r.bookings}</td>
                      <td className="num">{r.cancellations}</td>
                      <td className="num">{money(r.refunded, r.currency)}</td>
                      <td className="num">{money(r.net, r.currency)}</td>
                      <td className="num">{money(r.collected_net, r.currency)}</td>
                      <td>{onOnly && <button type="button" className="link" onClick={() => onOnly(r)}>{t('revenue.onlyThis')}</button>}</td>
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

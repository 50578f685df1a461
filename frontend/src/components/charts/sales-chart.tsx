import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { Empty } from '@/components/ui/feedback';
import { day, plural } from '@/lib/format';
import type { Schemas } from '@/types/api';

type SalesDay = Schemas['SalesDay'];
/** One day's sales in one currency (money as the API's decimal strings): the admin's SalesDay, or the audit's
 * RevenuePoint, which counts no refunds, mapped onto it. */
export type SalesPoint = Pick<SalesDay, 'day' | 'currency' | 'revenue' | 'tickets'> & Partial<Pick<SalesDay, 'refunds'>>;

/** Whether the system asks for less motion: the charts are then drawn at once rather than grown in. */
const lessMotion = () => typeof window !== 'undefined' && !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

/** One chart per currency: amounts in two currencies never share an axis. */
export function SalesCharts({ sales, emptyText = 'Bookings show up here per day.' }: { sales: SalesPoint[]; emptyText?: string }) {
  if (sales.length === 0) return <Empty title="No sales yet"><p className="muted">{emptyText}</p></Empty>;
  const currencies = [...new Set(sales.map((s) => s.currency))].sort();
  return (
    <>
      {currencies.map((c) => (
        <div key={c} data-testid={`sales-${c}`}>
          {currencies.length > 1 && <h3>{c}</h3>}
          <SalesChart currency={c} sales={sales.filter((s) => s.currency === c)} />
        </div>
      ))}
    </>
  );
}

function SalesChart({ sales, currency }: { sales: SalesPoint[]; currency: string }) {
  const refunds = sales.some((s) => s.refunds !== undefined);
  const data = sales.map((s) => ({ day: day(s.day), revenue: Number(s.revenue), refunds: Number(s.refunds ?? 0), tickets: s.tickets }));
  const animate = !lessMotion();
  return (
    <figure className="chart" aria-label={`Sales over time in ${currency}: revenue${refunds ? ', refunds' : ''} and tickets per day`}>
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="day" tick={{ fontSize: 12 }} />
          <YAxis yAxisId="money" tick={{ fontSize: 12 }} />
          <YAxis yAxisId="tickets" orientation="right" tick={{ fontSize: 12 }} allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar yAxisId="money" dataKey="revenue" name={`Gross sales (${currency})`} fill="#4f46e5" radius={[4, 4, 0, 0]} maxBarSize={56}
            isAnimationActive={animate} />
          {refunds && <Bar yAxisId="money" dataKey="refunds" name={`Refunded (${currency})`} fill="#f97316" radius={[4, 4, 0, 0]} maxBarSize={56}
            isAnimationActive={animate} />}
          <Line yAxisId="tickets" type="monotone" dataKey="tickets" name="Tickets" stroke="#059669" strokeWidth={2}
            isAnimationActive={animate} />
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="sr-only">
        {data.map((d) => `${d.day}: revenue ${d.revenue} ${currency}${refunds ? `, refunds ${d.refunds} ${currency}` : ''}, ${plural(d.tickets, 'ticket')}`).join('; ')}
      </figcaption>
    </figure>
  );
}

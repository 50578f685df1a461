import { useTranslation } from 'react-i18next';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { Empty } from '@/components/ui/feedback';
import { day, money } from '@/lib/format';
import type { Schemas } from '@/types/api';

type SalesDay = Schemas['SalesDay'];
/** One day's sales in one currency (money as the API's decimal strings): the admin's SalesDay, or the audit's
 * RevenuePoint, which counts no refunds, mapped onto it. */
export type SalesPoint = Pick<SalesDay, 'day' | 'currency' | 'revenue' | 'tickets'> & Partial<Pick<SalesDay, 'refunds'>>;

/** Whether the system asks for less motion: the charts are then drawn at once rather than grown in. */
const lessMotion = () => typeof window !== 'undefined' && !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

/** One chart per currency: amounts in two currencies never share an axis. */
export function SalesCharts({ sales, emptyText }: { sales: SalesPoint[]; emptyText?: string }) {
  const { t } = useTranslation('common');
  if (sales.length === 0) return <Empty title={t('chart.none')}><p className="muted">{emptyText ?? t('chart.noneHint')}</p></Empty>;
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
  const { t } = useTranslation('common');
  const refunds = sales.some((s) => s.refunds !== undefined);
  const data = sales.map((s) => ({ day: day(s.day), revenue: Number(s.revenue), refunds: Number(s.refunds ?? 0), tickets: s.tickets }));
  const animate = !lessMotion();
  return (
    <figure className="chart" aria-label={t(refunds ? 'chart.labelRefunds' : 'chart.label', { currency })}>
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="day" tick={{ fontSize: 12 }} />
          <YAxis yAxisId="money" tick={{ fontSize: 12 }} />
          <YAxis yAxisId="tickets" orientation="right" tick={{ fontSize: 12 }} allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar yAxisId="money" dataKey="revenue" name={t('chart.gross', { currency })} fill="#4f46e5" radius={[4, 4, 0, 0]} maxBarSize={56}
            isAnimationActive={animate} />
          {refunds && <Bar yAxisId="money" dataKey="refunds" name={t('chart.refunded', { currency })} fill="#f97316" radius={[4, 4, 0, 0]} maxBarSize={56}
            isAnimationActive={animate} />}
          <Line yAxisId="tickets" type="monotone" dataKey="tickets" name={t('chart.tickets')} stroke="#059669" strokeWidth={2}
            isAnimationActive={animate} />
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="sr-only">
        {data.map((d) => t(refunds ? 'chart.dayRefunds' : 'chart.day', {
          day: d.day, revenue: money(d.revenue, currency), refunds: money(d.refunds, currency), count: d.tickets,
        })).join('; ')}
      </figcaption>
    </figure>
  );
}

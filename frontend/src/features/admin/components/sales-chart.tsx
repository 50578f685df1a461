import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { Empty } from '@/components/ui/feedback';
import { day } from '@/lib/format';

import type { SalesDay } from '../api/stats';

export function SalesChart({ sales }: { sales: SalesDay[] }) {
  if (sales.length === 0) return <Empty title="No sales yet"><p className="muted">Bookings show up here per day.</p></Empty>;
  const data = sales.map((s) => ({ day: day(s.day), revenue: Number(s.revenue), refunds: Number(s.refunds), tickets: s.tickets }));
  return (
    <figure className="chart" aria-label="Sales over time: revenue, refunds and tickets per day">
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="day" tick={{ fontSize: 12 }} />
          <YAxis yAxisId="money" tick={{ fontSize: 12 }} />
          <YAxis yAxisId="tickets" orientation="right" tick={{ fontSize: 12 }} allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar yAxisId="money" dataKey="revenue" name="Revenue" fill="#4f46e5" radius={[4, 4, 0, 0]} />
          <Bar yAxisId="money" dataKey="refunds" name="Refunds" fill="#f97316" radius={[4, 4, 0, 0]} />
          <Line yAxisId="tickets" type="monotone" dataKey="tickets" name="Tickets" stroke="#059669" strokeWidth={2} />
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="sr-only">
        {data.map((d) => `${d.day}: revenue ${d.revenue}, refunds ${d.refunds}, ${d.tickets} tickets`).join('; ')}
      </figcaption>
    </figure>
  );
}

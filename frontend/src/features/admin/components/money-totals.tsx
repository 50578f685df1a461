import { TableWrap } from '@/components/ui/table-wrap';
import { money } from '@/lib/format';

import type { CurrencyTotals } from '../api/stats';

/**
 * Per currency, the sales (revenue, refunds, net: prices) and the payments (collected, returned,
 * net: money taken and given back): one row each, never a sum across currencies.
 */
export function MoneyTotals({ totals }: { totals: CurrencyTotals[] }) {
  if (totals.length === 0) return null;
  return (
    <section className="card" aria-label="Money per currency">
      <h2>Money <small className="muted">per currency</small></h2>
      <TableWrap label="Revenue per currency">
        <table className="table" aria-label="Revenue per currency">
          <thead>
            <tr>
              <th scope="col">Currency</th><th scope="col" className="num">Events</th><th scope="col" className="num">Gross sales</th>
              <th scope="col" className="num">Refunded</th><th scope="col" className="num">Net sales</th>
              <th scope="col" className="num">Collected</th><th scope="col" className="num">Returned</th>
              <th scope="col" className="num">Net collected</th>
            </tr>
          </thead>
          <tbody>
            {totals.map((t) => (
              <tr key={t.currency} data-testid={`money-${t.currency}`}>
                <th scope="row">{t.currency}</th>
                <td className="num">{t.events}</td>
                <td className="num">{money(t.revenue, t.currency)}</td>
                <td className="num">{money(t.refunds, t.currency)}</td>
                <td className="num" data-testid="sales-net"><strong>{money(t.net, t.currency)}</strong></td>
                <td className="num" data-testid="collected">{money(t.collected, t.currency)}</td>
                <td className="num" data-testid="returned">{money(t.returned, t.currency)}</td>
                <td className="num" data-testid="collected-net"><strong>{money(t.collected_net, t.currency)}</strong></td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}

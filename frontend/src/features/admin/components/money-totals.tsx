import { useTranslation } from 'react-i18next';

import { TableWrap } from '@/components/ui/table-wrap';
import { money, number } from '@/lib/format';

import type { CurrencyTotals } from '../api/stats';

/**
 * Per currency, the sales (revenue, refunds, net: prices) and the payments (collected, returned,
 * net: money taken and given back): one row each, never a sum across currencies.
 */
export function MoneyTotals({ totals }: { totals: CurrencyTotals[] }) {
  const { t } = useTranslation('organizer');
  if (totals.length === 0) return null;
  return (
    <section className="card" aria-label={t('money.label')}>
      <h2>{t('money.title')} <small className="muted">{t('money.perCurrency')}</small></h2>
      <TableWrap label={t('money.table')}>
        <table className="table" aria-label={t('money.table')}>
          <thead>
            <tr>
              <th scope="col">{t('eventForm.currency')}</th><th scope="col" className="num">{t('dashboard.events')}</th><th scope="col" className="num">{t('money.gross')}</th>
              <th scope="col" className="num">{t('money.refunded')}</th><th scope="col" className="num">{t('money.net')}</th>
              <th scope="col" className="num">{t('money.collected')}</th><th scope="col" className="num">{t('money.returned')}</th>
              <th scope="col" className="num">{t('money.collectedNet')}</th>
            </tr>
          </thead>
          <tbody>
            {totals.map((row) => (
              <tr key={row.currency} data-testid={`money-${row.currency}`}>
                <th scope="row">{row.currency}</th>
                <td className="num">{number(row.events)}</td>
                <td className="num">{money(row.revenue, row.currency)}</td>
                <td className="num">{money(row.refunds, row.currency)}</td>
                <td className="num" data-testid="sales-net"><strong>{money(row.net, row.currency)}</strong></td>
                <td className="num" data-testid="collected">{money(row.collected, row.currency)}</td>
                <td className="num" data-testid="returned">{money(row.returned, row.currency)}</td>
                <td className="num" data-testid="collected-net"><strong>{money(row.collected_net, row.currency)}</strong></td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}

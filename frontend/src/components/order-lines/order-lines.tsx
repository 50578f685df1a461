import { useTranslation } from 'react-i18next';
import { money } from '@/lib/format';
import { discounted, lineAmount } from '@/lib/order-lines';
import type { OrderLine } from '@/types/api';

/** A price a voucher lowered: the list price struck through beside the price paid ("was", "now" for a screen
 * reader); a price no voucher lowered, as it is. */
export function VoucherPrice({ price, listPrice, currency }: { price: string | number; listPrice?: string | number | null; currency?: string }) {
  const { t } = useTranslation('bookings');
  if (listPrice == null || !discounted({ unit_price: String(price), list_price: String(listPrice) })) return <>{money(price, currency)}</>;
  return (
    <span className="price-cut">
      <s className="price-cut__was" data-testid="list-price"><span className="sr-only">{t('was')} </span>{money(listPrice, currency)}</s>{' '}
      <span className="price-cut__now" data-testid="voucher-price"><span className="sr-only">{t('now')} </span>{money(price, currency)}</span>
    </span>
  );
}

/** An order's lines, one a row: the category, its seats × their price (a voucher's beside the list price it lowered),
 * and what the line comes to. */
export function OrderLines({ lines, currency, label }: { lines: OrderLine[]; currency?: string; label?: string }) {
  const { t } = useTranslation('bookings');
  return (
    <table className="order-lines" aria-label={label ?? t('byCategory')}>
      <tbody>
        {lines.map((line) => (
          <tr key={line.category} data-testid="order-line">
            <th scope="row">{line.category}</th>
            <td>{line.quantity} × <VoucherPrice price={line.unit_price} listPrice={line.list_price} currency={currency} /></td>
            <td className="num">{money(lineAmount(line), currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import { money } from '@/lib/format';
import { lineAmount } from '@/lib/order-lines';
import type { OrderLine } from '@/types/api';

/** An order's lines, one a row: the category, its seats × their price, and what the line comes to. */
export function OrderLines({ lines, currency, label = 'Seats by category' }: { lines: OrderLine[]; currency?: string; label?: string }) {
  return (
    <table className="order-lines" aria-label={label}>
      <tbody>
        {lines.map((line) => (
          <tr key={line.category} data-testid="order-line">
            <th scope="row">{line.category}</th>
            <td>{line.quantity} × {money(line.unit_price, currency)}</td>
            <td className="num">{money(lineAmount(line), currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

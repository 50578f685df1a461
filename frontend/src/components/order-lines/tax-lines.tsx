import { useTranslation } from 'react-i18next';
import { taxedLines, taxLineWords, type TaxLine, type TaxRule } from '@/lib/taxes';

/** An order's taxes under its total, one line per rule and rate: "incl. VAT 20 %: €10.00", or for a tax added on top
 * of the prices "Sales tax 8.875 %: $50.00 + $4.44 = $54.44" (`rules`: the event's, which say which is which).
 * Nothing when no seat of the order was taxed. */
export function TaxLines({ taxes, rules, currency }: { taxes?: TaxLine[] | null; rules?: TaxRule[] | null; currency?: string }) {
  const { t } = useTranslation('bookings');
  const lines = taxedLines(taxes);
  if (lines.length === 0) return null;
  return (
    <ul className="tax-lines" aria-label={t('taxesInTotal')} data-testid="tax-lines">
      {lines.map((line) => (
        <li key={`${line.name}-${line.rate}`} data-testid="tax-line">{taxLineWords(line, rules, currency)}</li>
      ))}
    </ul>
  );
}

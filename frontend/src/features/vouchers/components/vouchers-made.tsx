import { Notice } from '@/components/ui/feedback';
import { plural } from '@/lib/format';
import { discountWords, type Voucher } from '@/lib/vouchers';

import { DownloadVouchers } from './download-vouchers';

const SHOWN = 12; // codes of a batch listed here; the file has them all

/** The vouchers just made: the one code, or a batch's codes with the CSV to hand them out (`batch`: the position
 * their answer gave, which names them in the CSV's download). */
export function VouchersMade({ eventId, made, currency, batch }: {
  eventId: string; made: Voucher[]; currency: string; batch?: number | null;
}) {
  const [first] = made;
  if (!first) return null;
  const terms = `${discountWords(first, currency)}, for ${plural(first.max_uses, 'ticket')}`;
  if (made.length === 1) {
    return (
      <Notice tone="success">
        <span data-testid="vouchers-made">Voucher <code>{first.code}</code> made: {terms}.</span>
      </Notice>
    );
  }
  return (
    <Notice tone="success">
      <p data-testid="vouchers-made">{made.length} codes made: {terms} each.</p>
      <ul className="made-codes" aria-label="Codes made">
        {made.slice(0, SHOWN).map((v) => <li key={v.code}><code>{v.code}</code></li>)}
      </ul>
      {made.length > SHOWN && <p>And {made.length - SHOWN} more: the file has them all.</p>}
      <div className="row">
        <DownloadVouchers eventId={eventId} batch={batch} label="Download these codes (CSV)" />
        <small>
          The file lists the {made.length} codes of this batch{first.label ? <>, labelled “{first.label}”</> : null};
          the list below downloads every voucher of the event.
        </small>
      </div>
    </Notice>
  );
}

import { Trans, useTranslation } from 'react-i18next';

import { Notice } from '@/components/ui/feedback';
import { discountWords, type Voucher } from '@/lib/vouchers';

import { DownloadVouchers } from './download-vouchers';

const SHOWN = 12; // codes of a batch listed here; the file has them all

/** The vouchers just made: the one code, or a batch's codes with the CSV to hand them out (`batch`: the position
 * their answer gave, which names them in the CSV's download). */
export function VouchersMade({ eventId, made, currency, batch }: {
  eventId: string; made: Voucher[]; currency: string; batch?: number | null;
}) {
  const { t } = useTranslation('vouchers');
  const [first] = made;
  if (!first) return null;
  const terms = t('made.terms', { discount: discountWords(first, currency), count: first.max_uses });
  if (made.length === 1) {
    return (
      <Notice tone="success">
        <span data-testid="vouchers-made"><Trans t={t} i18nKey="made.one" values={{ code: first.code, terms }} components={{ code: <code /> }} /></span>
      </Notice>
    );
  }
  return (
    <Notice tone="success">
      <p data-testid="vouchers-made">{t('made.many', { count: made.length, terms })}</p>
      <ul className="made-codes" aria-label={t('made.list')}>
        {made.slice(0, SHOWN).map((v) => <li key={v.code}><code>{v.code}</code></li>)}
      </ul>
      {made.length > SHOWN && <p>{t('made.more', { count: made.length - SHOWN })}</p>}
      <div className="row">
        <DownloadVouchers eventId={eventId} batch={batch} label={t('made.download')} />
        <small>
          {first.label ? t('made.fileLabelled', { count: made.length, label: first.label }) : t('made.file', { count: made.length })}
        </small>
      </div>
    </Notice>
  );
}

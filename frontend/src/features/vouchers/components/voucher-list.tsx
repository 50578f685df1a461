import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { ConfirmDialog } from '@/components/ui/confirm';
import { Badge, Empty, ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { money } from '@/lib/format';
import { serverNow } from '@/lib/server-clock';
import { categoriesWords, discountWords, usesWords, validityWords, type Voucher, voucherState, type VoucherState } from '@/lib/vouchers';

import { useDisableVoucher } from '../api/disable-voucher';
import { useVouchers } from '../api/get-vouchers';
import { DownloadVouchers } from './download-vouchers';

const TONES: Record<VoucherState, string> = {
  active: 'green', disabled: 'red', 'used up': 'amber', expired: 'neutral', 'not yet valid': 'blue',
};
// A state's word: a key of vouchers:state.
const STATE_KEYS: Record<VoucherState, string> = {
  active: 'active', disabled: 'disabled', 'used up': 'usedUp', expired: 'expired', 'not yet valid': 'notYet',
};

function VoucherCard({ eventId, voucher: v, currency, zone, onDisable }: {
  eventId: string; voucher: Voucher; currency: string; zone: string; onDisable: (v: Voucher) => void;
}) {
  const { t } = useTranslation('vouchers');
  const state = voucherState(v, serverNow());
  const used = Math.min(100, Math.round((v.redeemed / v.max_uses) * 100));
  return (
    <li className={`voucher voucher--${state.replace(/ /g, '-')}`} data-testid={`voucher-${v.code}`}>
      <div className="voucher__head">
        <code className="voucher__code">{v.code}</code>
        <Badge tone={TONES[state]}>{t(`state.${STATE_KEYS[state]}`)}</Badge>
      </div>
      <p className="voucher__discount" data-testid="voucher-discount">{discountWords(v, currency)}</p>
      <div className="progress">
        <span className="progress__bar" aria-hidden="true"><span style={{ width: `${used}%` }} /></span>
        <span className="progress__label" data-testid="voucher-uses">{usesWords(v)}</span>
      </div>
      <dl className="voucher__facts">
        <div><dt>{t('list.valid')}</dt><dd>{validityWords(v, zone)}</dd></div>
        <div><dt>{t('form.appliesTo')}</dt><dd>{categoriesWords(v)}</dd></div>
        {v.reserve && (
          <div>
            <dt>{t('list.seats')}</dt>
            <dd data-testid="voucher-reserve">
              {v.disabled ? t('list.wereReserved') : t('list.reserved')}
            </dd>
          </div>
        )}
        {v.label && <div><dt>{t('list.label')}</dt><dd data-testid="voucher-label">{v.label}</dd></div>}
        <div><dt>{t('list.sales')}</dt><dd data-testid="voucher-revenue">{money(v.revenue, currency)} <span className="muted">{t('list.inBookings', { count: v.bookings })}</span></dd></div>
        <div><dt>{t('list.discounts')}</dt><dd data-testid="voucher-discounts">{money(v.discounts, currency)}</dd></div>
        <div>
          <dt>{t('list.link')}</dt>
          <dd>
            {/* The event's page with the code filled in, and the hidden categories it names shown. */}
            <Link to={`/events/${eventId}?voucher=${encodeURIComponent(v.code)}`} data-testid="voucher-link">
              {t('list.eventPage')}
            </Link>
          </dd>
        </div>
      </dl>
      {!v.disabled && (
        <button type="button" className="btn btn--ghost btn--small voucher__disable" aria-label={t('list.disableCode', { code: v.code })}
          onClick={() => onDisable(v)}>
          {t('list.disable')}
        </button>
      )}
    </li>
  );
}

/** An event's vouchers as cards (a narrow screen stacks them), the last made first, page by page; each with its
 * terms, its uses and what it sold, and a Disable button (after a confirmation). */
export function VoucherList({ eventId, currency, zone }: { eventId: string; currency: string; zone: string }) {
  const { t } = useTranslation('vouchers');
  const vouchers = useVouchers(eventId);
  const disable = useDisableVoucher(eventId);
  const [pending, setPending] = useState<Voucher | null>(null);
  const items = vouchers.data?.pages.flatMap((p) => p.items) ?? [];
  if (vouchers.isPending) return <Spinner label={t('list.loading')} />;
  if (vouchers.isError) return <ErrorMessage error={vouchers.error} onRetry={() => void vouchers.refetch()} />;
  if (items.length === 0) {
    return <Empty title={t('list.none')}><p className="muted">{t('list.noneHint')}</p></Empty>;
  }
  return (
    <>
      <div className="toolbar voucher-toolbar">
        <p className="muted">{vouchers.hasNextPage ? t('list.countShown', { count: items.length }) : t('list.count', { count: items.length })}</p>
        <DownloadVouchers eventId={eventId} />
      </div>
      <ul className="voucher-list" aria-label={t('manage:vouchers')}>
        {items.map((v) => (
          <VoucherCard key={v.code} eventId={eventId} voucher={v} currency={currency} zone={zone} onDisable={(found) => { disable.reset(); setPending(found); }} />
        ))}
      </ul>
      {vouchers.hasNextPage && (
        <div className="center">
          <button type="button" className="btn btn--ghost" disabled={vouchers.isFetchingNextPage} onClick={() => void vouchers.fetchNextPage()}>
            {vouchers.isFetchingNextPage ? t('common:loadingMore') : t('list.more')}
          </button>
        </div>
      )}
      <ConfirmDialog
        open={!!pending} title={t('list.disableAsk', { code: pending?.code ?? '' })} confirmLabel={t('list.disableConfirm')} cancelLabel={t('common:dialog.keep')} focus="cancel"
        busy={disable.isPending} onCancel={() => setPending(null)}
        onConfirm={() => pending && disable.mutate(pending.code, { onSuccess: () => setPending(null) })}
      >
        <p>
          {t('list.disableBody')}{' '}
          {!pending || pending.redeemed === 0 ? t('list.noneBooked') : t('list.booked', { count: pending.redeemed })}{' '}
          {t('list.final')}
        </p>
        {disable.error ? <ErrorMessage error={disable.error} title={t('list.notDisabled')} /> : null}
      </ConfirmDialog>
    </>
  );
}

import { useState } from 'react';
import { Link } from 'react-router-dom';

import { ConfirmDialog } from '@/components/ui/confirm';
import { Badge, Empty, ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { money, plural } from '@/lib/format';
import { serverNow } from '@/lib/server-clock';
import { categoriesWords, discountWords, usesWords, validityWords, type Voucher, voucherState, type VoucherState } from '@/lib/vouchers';

import { useDisableVoucher } from '../api/disable-voucher';
import { useVouchers } from '../api/get-vouchers';
import { DownloadVouchers } from './download-vouchers';

const TONES: Record<VoucherState, string> = {
  active: 'green', disabled: 'red', 'used up': 'amber', expired: 'neutral', 'not yet valid': 'blue',
};

function VoucherCard({ eventId, voucher: v, currency, zone, onDisable }: {
  eventId: string; voucher: Voucher; currency: string; zone: string; onDisable: (v: Voucher) => void;
}) {
  const state = voucherState(v, serverNow());
  const used = Math.min(100, Math.round((v.redeemed / v.max_uses) * 100));
  return (
    <li className={`voucher voucher--${state.replace(/ /g, '-')}`} data-testid={`voucher-${v.code}`}>
      <div className="voucher__head">
        <code className="voucher__code">{v.code}</code>
        <Badge tone={TONES[state]}>{state}</Badge>
      </div>
      <p className="voucher__discount" data-testid="voucher-discount">{discountWords(v, currency)}</p>
      <div className="progress">
        <span className="progress__bar" aria-hidden="true"><span style={{ width: `${used}%` }} /></span>
        <span className="progress__label" data-testid="voucher-uses">{usesWords(v)}</span>
      </div>
      <dl className="voucher__facts">
        <div><dt>Valid</dt><dd>{validityWords(v, zone)}</dd></div>
        <div><dt>Applies to</dt><dd>{categoriesWords(v)}</dd></div>
        {v.reserve && (
          <div>
            <dt>Seats</dt>
            <dd data-testid="voucher-reserve">
              {v.disabled ? 'Were reserved; back on sale since it was disabled' : 'Reserved for its holders until used'}
            </dd>
          </div>
        )}
        {v.label && <div><dt>Label</dt><dd data-testid="voucher-label">{v.label}</dd></div>}
        <div><dt>Sales with it</dt><dd data-testid="voucher-revenue">{money(v.revenue, currency)} <span className="muted">in {plural(v.bookings, 'booking')}</span></dd></div>
        <div><dt>Discounts given</dt><dd data-testid="voucher-discounts">{money(v.discounts, currency)}</dd></div>
        <div>
          <dt>Buyers’ link</dt>
          <dd>
            {/* The event's page with the code filled in, and the hidden categories it names shown. */}
            <Link to={`/events/${eventId}?voucher=${encodeURIComponent(v.code)}`} data-testid="voucher-link">
              Event page with this code
            </Link>
          </dd>
        </div>
      </dl>
      {!v.disabled && (
        <button type="button" className="btn btn--ghost btn--small voucher__disable" aria-label={`Disable voucher ${v.code}`}
          onClick={() => onDisable(v)}>
          Disable
        </button>
      )}
    </li>
  );
}

/** An event's vouchers as cards (a narrow screen stacks them), the last made first, page by page; each with its
 * terms, its uses and what it sold, and a Disable button (after a confirmation). */
export function VoucherList({ eventId, currency, zone }: { eventId: string; currency: string; zone: string }) {
  const vouchers = useVouchers(eventId);
  const disable = useDisableVoucher(eventId);
  const [pending, setPending] = useState<Voucher | null>(null);
  const items = vouchers.data?.pages.flatMap((p) => p.items) ?? [];
  if (vouchers.isPending) return <Spinner label="Loading vouchers" />;
  if (vouchers.isError) return <ErrorMessage error={vouchers.error} onRetry={() => void vouchers.refetch()} />;
  if (items.length === 0) {
    return <Empty title="No vouchers yet"><p className="muted">Make one for a press list, early birds or a sponsor.</p></Empty>;
  }
  return (
    <>
      <div className="toolbar voucher-toolbar">
        <p className="muted">{plural(items.length, 'voucher')}{vouchers.hasNextPage ? ' shown' : ''}, the newest first.</p>
        <DownloadVouchers eventId={eventId} />
      </div>
      <ul className="voucher-list" aria-label="Vouchers">
        {items.map((v) => (
          <VoucherCard key={v.code} eventId={eventId} voucher={v} currency={currency} zone={zone} onDisable={(found) => { disable.reset(); setPending(found); }} />
        ))}
      </ul>
      {vouchers.hasNextPage && (
        <div className="center">
          <button type="button" className="btn btn--ghost" disabled={vouchers.isFetchingNextPage} onClick={() => void vouchers.fetchNextPage()}>
            {vouchers.isFetchingNextPage ? 'Loading…' : 'Show more'}
          </button>
        </div>
      )}
      <ConfirmDialog
        open={!!pending} title={`Disable voucher ${pending?.code ?? ''}?`} confirmLabel="Disable it" cancelLabel="Keep it" focus="cancel"
        busy={disable.isPending} onCancel={() => setPending(null)}
        onConfirm={() => pending && disable.mutate(pending.code, { onSuccess: () => setPending(null) })}
      >
        <p>
          Buyers can no longer use it, from now on.{' '}
          {!pending || pending.redeemed === 0 ? 'No ticket was booked with it.'
            : pending.redeemed === 1 ? 'The ticket booked with it stays booked at its price.'
              : `The ${pending.redeemed} tickets booked with it stay booked at its price.`}{' '}
          It cannot be turned back on: to offer the discount again, make a new voucher.
        </p>
        {disable.error ? <ErrorMessage error={disable.error} title="Not disabled" /> : null}
      </ConfirmDialog>
    </>
  );
}

import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ConfirmDialog } from '@/components/ui/confirm';
import { ErrorMessage } from '@/components/ui/feedback';
import { money } from '@/lib/format';
import { amountOwed, linesOf, linesSummary } from '@/lib/order-lines';
import type { Booking } from '@/types/api';
import { personName } from '@/lib/persons';

import { type OfflineMethod, useMarkPaid, useMarkRefunded } from '../api/bookings';

/** Whether the booking's price is still owed: a paid seat with no payment recorded, or one
 * whose buyer chose a bank transfer at checkout (awaiting payment). */
export const paymentDue = (b: Booking) => b.status === 'confirmed' && Number(amountOwed(b)) > 0
  && (!b.payment || b.payment.status === 'awaiting_payment');

/** Whether a refund of money taken by hand waits for its organizer to give it back. */
export const refundOwedByHand = (b: Booking) => b.payment?.provider === 'offline' && b.payment.status === 'refund_pending';

/**
 * Mark a booking paid at the door or by bank transfer, or the refund of such a payment given
 * back: the organizer took (or returned) the money, the ledger records it.
 */
export function OfflinePaymentDialog({ booking, kind, currency, onClose }: {
  booking: Booking; kind: 'paid' | 'refunded'; currency?: string; onClose: () => void;
}) {
  const { t } = useTranslation('organizer');
  const paid = useMarkPaid();
  const refunded = useMarkRefunded();
  const busy = kind === 'paid' ? paid : refunded;
  // Awaited by transfer, the buyer's reference is what the organizer matches on their statement.
  const awaited = booking.payment?.status === 'awaiting_payment';
  const [method, setMethod] = useState<OfflineMethod>(awaited ? 'bank_transfer' : 'door');
  const [reference, setReference] = useState(awaited ? booking.payment?.reference ?? '' : '');
  const id = useId();
  const confirm = () => {
    const ref = reference.trim() || undefined;
    if (kind === 'paid') paid.mutate({ bookingId: booking.id, method, reference: ref }, { onSuccess: onClose });
    else refunded.mutate({ bookingId: booking.id, reference: ref }, { onSuccess: onClose });
  };
  const owed = kind === 'paid' ? amountOwed(booking) : booking.payment ? (Number(booking.payment.amount) - Number(booking.payment.refunded)).toFixed(2) : '0';
  return (
    <ConfirmDialog open title={kind === 'paid' ? t('offline.paidAsk') : t('offline.refundedAsk')}
      confirmLabel={kind === 'paid' ? t('bookings.markPaid') : t('bookings.markGivenBack')} busy={busy.isPending} onCancel={onClose} onConfirm={confirm}>
      <p>
        {personName(booking.user_name)}: {linesSummary(linesOf(booking))},{' '}
        {kind === 'paid' ? t('offline.received', { amount: money(owed, currency) }) : t('offline.givenBack')}{' '}
        {t('offline.recorded')}
      </p>
      {kind === 'paid' && (
        <div className="field">
          <label htmlFor={`${id}-method`}>{t('offline.how')}</label>
          <select id={`${id}-method`} value={method} onChange={(e) => setMethod(e.target.value as OfflineMethod)}>
            <option value="door">{t('offline.door')}</option>
            <option value="bank_transfer">{t('offline.transfer')}</option>
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-reference`}>{t('offline.reference')}</label>
        <input id={`${id}-reference`} value={reference} maxLength={100} onChange={(e) => setReference(e.target.value)} />
      </div>
      {busy.error ? <ErrorMessage error={busy.error} title={t('offline.notRecorded')} /> : null}
    </ConfirmDialog>
  );
}

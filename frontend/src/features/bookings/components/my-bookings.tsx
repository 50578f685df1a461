import { type ReactNode, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { BookingProof } from '@/components/booking-proof/booking-proof';
import { OrderLines } from '@/components/order-lines/order-lines';
import { TaxLines } from '@/components/order-lines/tax-lines';
import { ConfirmDialog } from '@/components/ui/confirm';
import { Badge, Empty, ErrorMessage, statusTone, statusWord } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { checkedInNote, hasCheckedInTicket } from '@/lib/check-ins';
import { eventName } from '@/lib/event-language';
import { dateTime, eventTime, money } from '@/lib/format';
import { i18n } from '@/lib/i18n';
import { amountOwed, discounted, linesOf, linesSummary, linesTotal, orderListTotal, voucherSaving } from '@/lib/order-lines';
import { bookingRefund, cancelledTicketsTotal, moneyTaken, refundOnCancel, refundWords, standingLines, ticketRefund } from '@/lib/refunds';
import { orderTaxes } from '@/lib/taxes';
import type { Booking, LedgerEvent } from '@/types/api';

import { useCancelBooking } from '../api/cancel-booking';
import { useBookedEvents, useMyBookings } from '../api/get-my-bookings';
import { ResendTickets } from './resend-tickets';
import { TicketCodes } from './ticket-codes';

/** Who cancelled a booking and why, as the customer reads it. */
export function cancelledBy(b: Booking): string {
  switch (b.cancelled_by) {
    case 'customer': return i18n.t('bookings:cancelledBy.customer');
    case 'organizer': return i18n.t('bookings:cancelledBy.organizer');
    case 'admin': return i18n.t('bookings:cancelledBy.admin');
    default: return i18n.t('bookings:cancelledBy.unknown');
  }
}

function CancelledNote({ booking: b }: { booking: Booking }) {
  return (
    <p className="cancel-note" data-testid="cancellation">
      {cancelledBy(b)}{b.cancellation_reason ? `: “${b.cancellation_reason}”` : '.'}
    </p>
  );
}

/** How the buyer's payment stands: owed (paid at the door or by transfer), paid, refunded. */
function PaymentNote({ booking: b, currency }: { booking: Booking; currency?: string }) {
  const p = b.payment;
  let text: string | null = null;
  if (!p && b.status === 'confirmed' && Number(amountOwed(b)) > 0) {
    text = i18n.t('bookings:payment.dueByHand', { amount: money(amountOwed(b), currency) });
  } else if (p?.status === 'awaiting_payment' && b.status === 'confirmed') {
    text = i18n.t('bookings:payment.dueTransfer', { amount: money(p.amount, p.currency), reference: p.reference ?? '' });
  } else if (p?.status === 'succeeded') {
    text = i18n.t('bookings:payment.paid', { amount: money(p.amount, p.currency) });
  } else if (p?.status === 'refunded') {
    text = i18n.t('bookings:payment.refunded', { amount: money(p.amount, p.currency), refund: refundWords(p.refunded, p.currency, true) });
  } else if (p?.status === 'refund_pending' || p?.status === 'refund_failed') {
    text = i18n.t('bookings:payment.refunding', { amount: money(p.amount, p.currency) });
  }
  return text ? <p className="muted" data-testid="payment-note">{text}</p> : null;
}

/** Tickets of a booking still confirmed that were cancelled one by one: how many, what went back for them (nothing
 * when they were free or not paid for), and how many stay valid. */
function CancelledTickets({ booking: b, currency }: { booking: Booking; currency?: string }) {
  const cancelled = b.tickets.filter((t) => t.status === 'cancelled').length;
  if (cancelled === 0) return null;
  const valid = b.tickets.length - cancelled;
  const paidBack = moneyTaken(b) && cancelledTicketsTotal(b) > 0
    ? refundWords(cancelledTicketsTotal(b), currency, b.payment?.status === 'refunded')
    : null;
  return (
    <p className="cancel-note" data-testid="refunded-tickets">
      {i18n.t('bookings:ticketsCancelled', { count: cancelled })}{paidBack ? ` (${paidBack})` : ''}
      {valid > 0 ? i18n.t('bookings:othersValid', { count: valid }) : '.'}
    </p>
  );
}

/** The buyer's own cancellation, as they confirm it: what still stands of the booking, and what they get back. */
function CancelWhat({ booking: b, currency }: { booking: Booking; currency?: string }) {
  const standing = standingLines(b);
  const back = refundOnCancel(b);
  const free = linesTotal(standing) === 0;
  return (
    <>
      <p data-testid="cancel-what">
        {linesSummary(standing)} ({money(linesTotal(standing), currency)}).{' '}
        {i18n.t('bookings:cancel.stops', { count: standing.reduce((n, l) => n + l.quantity, 0) })}
      </p>
      <p data-testid="cancel-refund">
        {back ? <Trans i18nKey="bookings:cancel.back" values={{ amount: money(back, currency) }} components={{ strong: <strong /> }} />
          : free ? i18n.t('bookings:cancel.free') : i18n.t('bookings:cancel.unpaid')}
        {' '}{i18n.t('bookings:cancel.final')}
      </p>
    </>
  );
}

export function MyBookings({ userId, extra }: {
  userId: string;
  /** More about each booking, under its payment (its invoices, another feature's, composed by the route). */
  extra?: (booking: Booking, event: LedgerEvent | undefined) => ReactNode;
}) {
  const bookings = useMyBookings(userId);
  const items = bookings.data?.pages.flatMap((p) => p.items) ?? [];
  const events = useBookedEvents(items.map((b) => b.event_id));
  const cancel = useCancelBooking();
  const [pending, setPending] = useState<Booking | null>(null);
  const { t } = useTranslation('bookings');

  if (bookings.isPending) return <Spinner label={t('loading')} />;
  if (bookings.isError) return <ErrorMessage error={bookings.error} onRetry={() => void bookings.refetch()} />;
  if (items.length === 0) {
    return (
      <Empty title={t('empty.title')}>
        <p className="muted">{t('empty.body')}</p>
        <Link className="btn" to="/">{t('empty.browse')}</Link>
      </Empty>
    );
  }
  return (
    <>
      {cancel.error && <ErrorMessage error={cancel.error} title={t('cancel.failed')} />}
      <ul className="booking-list" aria-label={t('list')}>
        {items.map((b) => {
          const event = events[b.event_id];
          const lines = linesOf(b);
          const saving = voucherSaving(lines, b.total_amount, b.list_total);
          return (
            <li key={b.id} className={`booking card booking--${b.status}`} data-testid="booking">
              <div className="booking__head">
                <div>
                  <h3>{event ? <Link to={`/events/${b.event_id}`}>{eventName(event)}</Link> : t('checkout:event')}</h3>
                  {event && <p className="muted booking__when">{event.venue} · {eventTime(event.starts_at, event.timezone)}</p>}
                  <p className="muted booking__when" data-testid="booked-at">{t('bookedAt', { time: dateTime(b.created_at) })}</p>
                </div>
                <Badge tone={statusTone(b.status)}>{statusWord(b.status)}</Badge>
              </div>
              <p>
                <span data-testid="booking-lines">{linesSummary(lines)}</span> ·{' '}
                {saving > 0 && <><s className="price-cut__was" data-testid="booking-list-total"><span className="sr-only">{t('was')} </span>{money(orderListTotal(lines, b.list_total), event?.currency)}</s>{' '}</>}
                <strong data-testid="booking-total">{money(b.total_amount, event?.currency)}</strong>
                {saving > 0 && <span className="muted" data-testid="booking-saving"> ({t('savingVoucher', { amount: money(saving, event?.currency) })})</span>}
                {bookingRefund(b, event?.currency) && <span data-testid="booking-refund"> ({bookingRefund(b, event?.currency)})</span>}
              </p>
              <TaxLines taxes={orderTaxes(b.taxes, lines)} rules={event?.taxes} currency={event?.currency} />
              {(lines.length > 1 || lines.some(discounted)) && <OrderLines lines={lines} currency={event?.currency} label={t('byCategory')} />}
              {b.status === 'cancelled' && <CancelledNote booking={b} />}
              {b.status === 'confirmed' && <CancelledTickets booking={b} currency={event?.currency} />}
              <PaymentNote booking={b} currency={event?.currency} />
              {extra?.(b, event)}
              <TicketCodes tickets={b.tickets} refundOf={(t) => ticketRefund(b, t, event?.currency)} />
              {checkedInNote(b) && <p className="muted" data-testid="checked-in">{checkedInNote(b)}</p>}
              <BookingProof bookingId={b.id} position={b.position} />
              {b.status === 'confirmed' && <ResendTickets bookingId={b.id} />}
              {b.status === 'confirmed' && !hasCheckedInTicket(b) && (
                <button type="button" className="btn btn--danger btn--small" onClick={() => setPending(b)}>
                  {t('cancel.button')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {bookings.hasNextPage && (
        <div className="center">
          <button type="button" className="btn btn--ghost" onClick={() => void bookings.fetchNextPage()}>{t('older')}</button>
        </div>
      )}
      <ConfirmDialog
        open={!!pending}
        title={t('cancel.title')}
        confirmLabel={t('cancel.confirm')}
        busy={cancel.isPending}
        onCancel={() => setPending(null)}
        onConfirm={() => pending && cancel.mutate(pending.id, { onSettled: () => setPending(null) })}
      >
        {pending && <CancelWhat booking={pending} currency={events[pending.event_id]?.currency} />}
      </ConfirmDialog>
    </>
  );
}

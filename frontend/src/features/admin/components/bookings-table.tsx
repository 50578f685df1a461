import { useState } from 'react';
import { Link } from 'react-router-dom';

import { Badge, ErrorMessage, Notice, statusTone } from '@/components/ui/feedback';
import { ReasonDialog } from '@/components/ui/reason-dialog';
import { TableWrap } from '@/components/ui/table-wrap';
import { checkedInNote, hasCheckedInTicket } from '@/lib/check-ins';
import { dateTime, money } from '@/lib/format';
import { linesOf, linesSummary, orderListTotal, ticketPrice, voucherSaving } from '@/lib/order-lines';
import { moneyTaken, refundOnCancel, refundWords, standingLines, ticketRefund } from '@/lib/refunds';
import type { Booking, LedgerEvent } from '@/types/api';

import { type TicketRefund, useCancelBookingWithReason, useRefundTickets, useRetryRefund } from '../api/bookings';
import { OfflinePaymentDialog, paymentDue, refundOwedByHand } from './offline-payment';

/** Who cancelled, and why. */
export function cancellation(b: Booking): string {
  if (b.status !== 'cancelled') return '';
  const by = b.cancelled_by ? `by ${b.cancelled_by === 'customer' ? 'the customer' : `the ${b.cancelled_by}`}` : '';
  return [by, b.cancellation_reason ? `“${b.cancellation_reason}”` : ''].filter(Boolean).join(': ');
}

/** How a booking's payment stands, in words (none: not paid through a provider). */
export function paymentState(b: Booking): { text: string; tone: 'success' | 'warning' | 'danger' | 'neutral' } | null {
  const p = b.payment;
  if (!p) return paymentDue(b) ? { text: 'Payment due (at the door or by transfer)', tone: 'warning' } : null;
  const paid = money(p.amount, p.currency);
  switch (p.status) {
    case 'awaiting_payment': return b.status === 'cancelled'
      ? { text: `Not paid (reference ${p.reference ?? '—'}): nothing to give back`, tone: 'neutral' }
      : { text: `Awaiting payment: ${money(p.amount, p.currency)} by bank transfer, reference ${p.reference ?? '—'}`, tone: 'warning' };
    case 'succeeded': return { text: p.provider === 'offline' ? `Paid ${paid} at the door or by transfer` : `Paid ${paid}`, tone: 'success' };
    case 'refunded': return { text: `Paid ${paid}, ${refundWords(p.refunded, p.currency, true)}`, tone: 'neutral' };
    case 'refund_pending': return p.provider === 'offline'
      ? { text: `Paid ${paid}: a refund is yours to give back`, tone: 'warning' }
      : { text: `Paid ${paid}, a refund is being made`, tone: 'warning' };
    case 'refund_failed': return { text: `Refund failed${p.message ? `: ${p.message}` : ''} (tried again)`, tone: 'danger' };
    default: return { text: `Payment ${p.status.replace('_', ' ')}`, tone: 'warning' };
  }
}

function PaymentLine({ booking, onMark }: { booking: Booking; onMark: (kind: 'paid' | 'refunded') => void }) {
  const retry = useRetryRefund();
  const state = paymentState(booking);
  if (!state) return null;
  const failed = booking.payment?.status === 'refund_failed' && booking.payment.provider !== 'offline';
  return (
    <>
      <small className={`block payment--${state.tone}`} data-testid="payment">
        {state.text}
        {failed && (
          <> <button type="button" className="link" disabled={retry.isPending}
            onClick={() => retry.mutate({ bookingId: booking.id })}>{retry.isPending ? 'Asking…' : 'Ask again now'}</button></>
        )}
        {paymentDue(booking) && <> <button type="button" className="link" onClick={() => onMark('paid')}>
          {booking.payment?.status === 'awaiting_payment' ? 'Mark received' : 'Mark paid'}</button></>}
        {refundOwedByHand(booking) && <> <button type="button" className="link" onClick={() => onMark('refunded')}>Mark given back</button></>}
      </small>
      {retry.error ? <ErrorMessage error={retry.error} title="Not asked again" /> : null}
    </>
  );
}

/** How a ticket's refund stands, in words. */
export function refundOutcome(r: TicketRefund): string {
  const amount = money(r.amount, r.currency);
  const what = r.tickets.length === 1 ? `Ticket ${r.tickets[0]}` : `${r.tickets.length} tickets`;
  if (Number(r.amount) === 0) return `${what} cancelled: nothing was paid for ${r.tickets.length === 1 ? 'it' : 'them'}, so nothing goes back.`;
  switch (r.status) {
    case 'refunded': return `${what} refunded: ${amount} given back to the customer's card.`;
    case 'refund_pending': return `${what} cancelled: the refund of ${amount} is pending (a payment taken by hand is yours to give back, then mark).`;
    case 'refund_failed': return `${what} cancelled, but the refund of ${amount} failed; it is tried again.`;
    default: return `${what} cancelled: ${amount}, if it was paid, is yours to give back.`;
  }
}

/** A booking's categories: the one it was booked in, or each line of an order across categories (its seats, and
 * their price when the currency is known). */
function BookedCategories({ booking, currency }: { booking: Booking; currency?: string }) {
  const lines = linesOf(booking);
  if (lines.length <= 1) return <>{booking.category}</>;
  return (
    <ul className="booked-lines" aria-label="Seats by category">
      {lines.map((line) => (
        <li key={line.category} data-testid="booking-line">
          <span className="nowrap">{line.category} <span className="muted">× {line.quantity}</span></span>
          {currency && <> <span className="muted nowrap">at {money(line.unit_price, currency)}</span></>}
        </li>
      ))}
    </ul>
  );
}

/**
 * Bookings with their tickets, each with its category; a confirmed one may be cancelled, or one of its tickets
 * refunded, with a reason the customer reads (its event's organizer, or an admin). A booking with a ticket checked in
 * is not cancelled, nor that ticket refunded: the table says so instead of offering it.
 */
export function BookingsTable({ bookings, events, showEvent, currency }: {
  bookings: Booking[]; events?: Record<string, LedgerEvent | undefined>; showEvent: boolean; currency?: string;
}) {
  const cancel = useCancelBookingWithReason();
  const refund = useRefundTickets();
  const [pending, setPending] = useState<Booking | null>(null);
  // The ticket to cancel, with its category and the price of its line; refunded when it was paid for.
  const [refunding, setRefunding] = useState<{ booking: Booking; code: string; category: string; price: string; refund: boolean } | null>(null);
  const [marking, setMarking] = useState<{ booking: Booking; kind: 'paid' | 'refunded' } | null>(null);
  const currencyOf = (b: Booking) => currency ?? events?.[b.event_id]?.currency;
  return (
    <>
      {refund.data && (
        <Notice tone={refund.data.status === 'refund_failed' ? 'warning' : 'success'}>
          <span data-testid="refund-outcome">{refundOutcome(refund.data)}</span>
        </Notice>
      )}
      <TableWrap label={showEvent ? "The user's bookings" : 'Bookings of this event'}>
        <table className="table" aria-label={showEvent ? "The user's bookings" : 'Bookings of this event'}>
          <thead>
            <tr>
              <th scope="col">Booked</th>{showEvent ? <th scope="col">Event</th> : <th scope="col">Customer</th>}
              <th scope="col">Category</th><th scope="col" className="num">Qty</th><th scope="col" className="num">Total</th>
              <th scope="col">Status</th><th scope="col">Tickets</th><th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {bookings.map((b) => {
              const c = currencyOf(b);
              // Each ticket's category where the booking has several (one category's are said in its column).
              const several = linesOf(b).length > 1;
              return (
                <tr key={b.id} data-testid={`booking-${b.id}`}>
                  <td className="nowrap">{dateTime(b.created_at)}</td>
                  {showEvent
                    ? <td><Link to={`/events/${b.event_id}`}>{events?.[b.event_id]?.name ?? b.event_id.slice(0, 8)}</Link></td>
                    : <td>{b.user_name}</td>}
                  <td><BookedCategories booking={b} currency={c} /></td>
                  <td className="num">{b.quantity}</td>
                  <td className="num">
                    {c ? money(b.total_amount, c) : b.total_amount}
                    {voucherSaving(linesOf(b), b.total_amount, b.list_total) > 0 && (
                      <small className="muted block nowrap" data-testid="booking-list-total">
                        {money(orderListTotal(linesOf(b), b.list_total), c)} before its voucher
                      </small>
                    )}
                  </td>
                  <td>
                    <Badge tone={statusTone(b.status)}>{b.status}</Badge>
                    {cancellation(b) && <small className="muted block" data-testid="cancellation">{cancellation(b)}</small>}
                    <PaymentLine booking={b} onMark={(kind) => setMarking({ booking: b, kind })} />
                  </td>
                  <td>
                    {b.tickets.map((t) => {
                      const price = ticketPrice(b, t);
                      // Only a ticket paid for is refunded; one that was free, or is not paid yet, is cancelled.
                      const refunds = moneyTaken(b) && Number(price) > 0;
                      const back = ticketRefund(b, t, c);
                      return (
                        <span key={t.code} className={`mini-ticket mini-ticket--${t.status}`}>
                          <code>{t.code}</code>
                          {several && t.category && <small className="mini-ticket__category" data-testid="ticket-category">{t.category}</small>}
                          <Badge tone={statusTone(t.status)}>{t.status}</Badge>
                          {back && <small className="mini-ticket__refund" data-testid="ticket-refund">{back}</small>}
                          {b.status === 'confirmed' && t.status === 'active' && (
                            <button type="button" className="link link--danger" aria-label={`${refunds ? 'Refund' : 'Cancel'} ticket ${t.code}`}
                              onClick={() => {
                                refund.reset();
                                setRefunding({ booking: b, code: t.code, category: t.category ?? b.category, price, refund: refunds });
                              }}>{refunds ? 'Refund' : 'Cancel ticket'}</button>
                          )}
                        </span>
                      );
                    })}
                  </td>
                  <td>
                    {b.status === 'confirmed' && !hasCheckedInTicket(b) && (
                      <button type="button" className="link link--danger" onClick={() => setPending(b)}>Cancel</button>
                    )}
                    {checkedInNote(b) && <small className="muted block" data-testid="checked-in">{checkedInNote(b)}</small>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {pending && (<ReasonDialog
        open title="Cancel this booking?" confirmLabel="Cancel the booking" busy={cancel.isPending} error={cancel.error}
        onCancel={() => { setPending(null); cancel.reset(); }}
        onConfirm={(reason) => pending && cancel.mutate({ bookingId: pending.id, reason }, { onSuccess: () => setPending(null) })}
      >
        {pending && (
          <p>
            {pending.user_name}: {linesSummary(standingLines(pending))}.{' '}
            {standingLines(pending).reduce((n, l) => n + l.quantity, 0) === 1
              ? 'Its ticket stops working and the seat goes back on sale'
              : 'Its tickets stop working and the seats go back on sale'};{' '}
            {refundOnCancel(pending)
              ? `${money(refundOnCancel(pending)!, currencyOf(pending))} is refunded to the customer`
              : 'nothing was paid, so nothing is refunded'}. They see your reason in their bookings.
          </p>
        )}
      </ReasonDialog>)}
      {marking && (
        <OfflinePaymentDialog booking={marking.booking} kind={marking.kind} currency={currencyOf(marking.booking)} onClose={() => setMarking(null)} />
      )}
      {refunding && (<ReasonDialog
        open title={refunding.refund ? 'Refund this ticket?' : 'Cancel this ticket?'}
        confirmLabel={refunding.refund ? 'Refund the ticket' : 'Cancel the ticket'} busy={refund.isPending} error={refund.error}
        onCancel={() => { setRefunding(null); refund.reset(); }}
        onConfirm={(reason) => refunding && refund.mutate(
          { bookingId: refunding.booking.id, tickets: [refunding.code], reason }, { onSuccess: () => setRefunding(null) })}
      >
        {refunding && (
          <p>
            {refunding.booking.user_name}: ticket <code>{refunding.code}</code> ({refunding.category},{' '}
            {money(refunding.price, currencyOf(refunding.booking))}). It stops working and its seat goes back on sale;{' '}
            {refunding.refund ? 'its price is refunded' : 'nothing was paid for it, so nothing is refunded'}. The rest of
            the booking stays. The customer sees your reason.
          </p>
        )}
      </ReasonDialog>)}
    </>
  );
}

/** A paged list's "more" button. */
export function MoreButton({ query, label }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown }; label: string }) {
  if (!query.hasNextPage) return null;
  return (
    <div className="center">
      <button type="button" className="btn btn--ghost" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
        {query.isFetchingNextPage ? 'Loading…' : label}
      </button>
    </div>
  );
}

import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { Badge, ErrorMessage, Notice, statusTone, statusWord } from '@/components/ui/feedback';
import { ReasonDialog } from '@/components/ui/reason-dialog';
import { TableWrap } from '@/components/ui/table-wrap';
import { checkedInNote, hasCheckedInTicket } from '@/lib/check-ins';
import { dateTime, money } from '@/lib/format';
import { i18n } from '@/lib/i18n';
import { linesOf, linesSummary, orderListTotal, ticketPrice, voucherSaving } from '@/lib/order-lines';
import { moneyTaken, refundOnCancel, refundWords, standingLines, ticketRefund } from '@/lib/refunds';
import type { Booking, LedgerEvent } from '@/types/api';
import { ERASED_NAME, personName } from '@/lib/persons';

import { type TicketRefund, useCancelBookingWithReason, useRefundTickets, useRetryRefund } from '../api/bookings';
import { type Buyer, ForgetBuyerDialog } from './forget-buyer';
import { OfflinePaymentDialog, paymentDue, refundOwedByHand } from './offline-payment';

/** Who cancelled, and why. */
export function cancellation(b: Booking): string {
  if (b.status !== 'cancelled') return '';
  const by = b.cancelled_by ? i18n.t(`organizer:bookings.cancelledBy.${b.cancelled_by}`) : '';
  return [by, b.cancellation_reason ? `“${b.cancellation_reason}”` : ''].filter(Boolean).join(': ');
}

/** How a booking's payment stands, in words (none: not paid through a provider). */
export function paymentState(b: Booking): { text: string; tone: 'success' | 'warning' | 'danger' | 'neutral' } | null {
  const p = b.payment;
  const say = (key: string, values?: Record<string, unknown>) => i18n.t(`organizer:bookings.payment.${key}`, values);
  if (!p) return paymentDue(b) ? { text: say('due'), tone: 'warning' } : null;
  const paid = money(p.amount, p.currency);
  const reference = p.reference ?? '—';
  switch (p.status) {
    case 'awaiting_payment': return b.status === 'cancelled'
      ? { text: say('notPaid', { reference }), tone: 'neutral' }
      : { text: say('awaiting', { amount: paid, reference }), tone: 'warning' };
    case 'succeeded': return { text: p.provider === 'offline' ? say('paidByHand', { amount: paid }) : say('paid', { amount: paid }), tone: 'success' };
    case 'refunded': return { text: say('refunded', { amount: paid, refund: refundWords(p.refunded, p.currency, true) }), tone: 'neutral' };
    case 'refund_pending': return p.provider === 'offline'
      ? { text: say('refundByHand', { amount: paid }), tone: 'warning' }
      : { text: say('refunding', { amount: paid }), tone: 'warning' };
    case 'refund_failed': return { text: p.message ? say('refundFailedWhy', { message: p.message }) : say('refundFailed'), tone: 'danger' };
    default: return { text: say('other', { status: p.status.replace('_', ' ') }), tone: 'warning' };
  }
}

function PaymentLine({ booking, onMark }: { booking: Booking; onMark: (kind: 'paid' | 'refunded') => void }) {
  const retry = useRetryRefund();
  const { t } = useTranslation('organizer');
  const state = paymentState(booking);
  if (!state) return null;
  const failed = booking.payment?.status === 'refund_failed' && booking.payment.provider !== 'offline';
  return (
    <>
      <small className={`block payment--${state.tone}`} data-testid="payment">
        {state.text}
        {failed && (
          <> <button type="button" className="link" disabled={retry.isPending}
            onClick={() => retry.mutate({ bookingId: booking.id })}>{retry.isPending ? t('bookings.asking') : t('bookings.askAgain')}</button></>
        )}
        {paymentDue(booking) && <> <button type="button" className="link" onClick={() => onMark('paid')}>
          {booking.payment?.status === 'awaiting_payment' ? t('bookings.markReceived') : t('bookings.markPaid')}</button></>}
        {refundOwedByHand(booking) && <> <button type="button" className="link" onClick={() => onMark('refunded')}>{t('bookings.markGivenBack')}</button></>}
      </small>
      {retry.error ? <ErrorMessage error={retry.error} title={t('bookings.notAskedAgain')} /> : null}
    </>
  );
}

/** How a ticket's refund stands, in words. */
export function refundOutcome(r: TicketRefund): string {
  const values = { amount: money(r.amount, r.currency), count: r.tickets.length, code: r.tickets[0] };
  const say = (key: string) => i18n.t(`organizer:bookings.outcome.${key}`, values);
  if (Number(r.amount) === 0) return say('free');
  switch (r.status) {
    case 'refunded': return say('refunded');
    case 'refund_pending': return say('pending');
    case 'refund_failed': return say('failed');
    default: return say('byHand');
  }
}

/** A booking's categories: the one it was booked in, or each line of an order across categories (its seats, and
 * their price when the currency is known). */
function BookedCategories({ booking, currency }: { booking: Booking; currency?: string }) {
  const { t } = useTranslation('organizer');
  const lines = linesOf(booking);
  if (lines.length <= 1) return <>{booking.category}</>;
  return (
    <ul className="booked-lines" aria-label={t('bookings.byCategory')}>
      {lines.map((line) => (
        <li key={line.category} data-testid="booking-line">
          <span className="nowrap">{line.category} <span className="muted">× {line.quantity}</span></span>
          {currency && <> <span className="muted nowrap">{t('bookings.at', { price: money(line.unit_price, currency) })}</span></>}
        </li>
      ))}
    </ul>
  );
}

/**
 * Bookings with their tickets, each with its category; a confirmed one may be cancelled, or one of its tickets
 * refunded, with a reason the customer reads (its event's organizer, or an admin). A booking with a ticket checked in
 * is not cancelled, nor that ticket refunded: the table says so instead of offering it. With `forgetBuyers` (an
 * organizer's event), each buyer not erased yet may be forgotten (`ForgetBuyerDialog`).
 */
export function BookingsTable({ bookings, events, showEvent, currency, forgetBuyers = false }: {
  bookings: Booking[]; events?: Record<string, LedgerEvent | undefined>; showEvent: boolean; currency?: string; forgetBuyers?: boolean;
}) {
  const { t } = useTranslation('organizer');
  const cancel = useCancelBookingWithReason();
  const refund = useRefundTickets();
  const [pending, setPending] = useState<Booking | null>(null);
  // The ticket to cancel, with its category and the price of its line; refunded when it was paid for.
  const [refunding, setRefunding] = useState<{ booking: Booking; code: string; category: string; price: string; refund: boolean } | null>(null);
  const [marking, setMarking] = useState<{ booking: Booking; kind: 'paid' | 'refunded' } | null>(null);
  const [forgetting, setForgetting] = useState<Buyer | null>(null);
  const [forgotten, setForgotten] = useState<string | null>(null);
  const forgetOpener = useRef<HTMLButtonElement | null>(null); // the focus goes back to it when kept
  // A forgotten buyer's rows lose the button that opened the dialog: the focus goes to the notice saying it is done.
  const forgottenNotice = useRef<HTMLDivElement>(null);
  useEffect(() => { if (forgotten) forgottenNotice.current?.focus(); }, [forgotten]);
  const currencyOf = (b: Booking) => currency ?? events?.[b.event_id]?.currency;
  return (
    <>
      {forgotten && <div ref={forgottenNotice} tabIndex={-1}><Notice tone="success">{t('forget.done', { name: forgotten })}</Notice></div>}
      {refund.data && (
        <Notice tone={refund.data.status === 'refund_failed' ? 'warning' : 'success'}>
          <span data-testid="refund-outcome">{refundOutcome(refund.data)}</span>
        </Notice>
      )}
      <TableWrap label={showEvent ? t('bookings.ofUser') : t('bookings.ofEvent')}>
        <table className="table" aria-label={showEvent ? t('bookings.ofUser') : t('bookings.ofEvent')}>
          <thead>
            <tr>
              <th scope="col">{t('bookings.booked')}</th>{showEvent ? <th scope="col">{t('bookings.event')}</th> : <th scope="col">{t('bookings.customer')}</th>}
              <th scope="col">{t('bookings.category')}</th><th scope="col" className="num">{t('bookings.qty')}</th><th scope="col" className="num">{t('bookings.total')}</th>
              <th scope="col">{t('bookings.status')}</th><th scope="col">{t('bookings.tickets')}</th><th scope="col"><span className="sr-only">{t('bookings.actions')}</span></th>
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
                    : <td>{personName(b.user_name)}</td>}
                  <td><BookedCategories booking={b} currency={c} /></td>
                  <td className="num">{b.quantity}</td>
                  <td className="num">
                    {c ? money(b.total_amount, c) : b.total_amount}
                    {voucherSaving(linesOf(b), b.total_amount, b.list_total) > 0 && (
                      <small className="muted block nowrap" data-testid="booking-list-total">
                        {t('bookings.beforeVoucher', { amount: money(orderListTotal(linesOf(b), b.list_total), c) })}
                      </small>
                    )}
                  </td>
                  <td>
                    <Badge tone={statusTone(b.status)}>{statusWord(b.status)}</Badge>
                    {cancellation(b) && <small className="muted block" data-testid="cancellation">{cancellation(b)}</small>}
                    <PaymentLine booking={b} onMark={(kind) => setMarking({ booking: b, kind })} />
                  </td>
                  <td>
                    {b.tickets.map((ticket) => {
                      const price = ticketPrice(b, ticket);
                      // Only a ticket paid for is refunded; one that was free, or is not paid yet, is cancelled.
                      const refunds = moneyTaken(b) && Number(price) > 0;
                      const back = ticketRefund(b, ticket, c);
                      return (
                        <span key={ticket.code} className={`mini-ticket mini-ticket--${ticket.status}`}>
                          <code>{ticket.code}</code>
                          {several && ticket.category && <small className="mini-ticket__category" data-testid="ticket-category">{ticket.category}</small>}
                          <Badge tone={statusTone(ticket.status)}>{statusWord(ticket.status)}</Badge>
                          {back && <small className="mini-ticket__refund" data-testid="ticket-refund">{back}</small>}
                          {b.status === 'confirmed' && ticket.status === 'active' && (
                            <button type="button" className="link link--danger"
                              aria-label={refunds ? t('bookings.refundTicket', { code: ticket.code }) : t('bookings.cancelTicketCode', { code: ticket.code })}
                              onClick={() => {
                                refund.reset();
                                setRefunding({ booking: b, code: ticket.code, category: ticket.category ?? b.category, price, refund: refunds });
                              }}>{refunds ? t('bookings.refund') : t('bookings.cancelTicket')}</button>
                          )}
                        </span>
                      );
                    })}
                  </td>
                  <td>
                    {b.status === 'confirmed' && !hasCheckedInTicket(b) && (
                      <button type="button" className="link link--danger" onClick={() => setPending(b)}>{t('bookings.cancel')}</button>
                    )}
                    {checkedInNote(b) && <small className="muted block" data-testid="checked-in">{checkedInNote(b)}</small>}
                    {forgetBuyers && b.user_name !== ERASED_NAME && (
                      <button type="button" className="link link--danger link--stacked block nowrap" aria-label={t('forget.actionOf', { name: b.user_name })}
                        onClick={(e) => {
                          forgetOpener.current = e.currentTarget;
                          setForgotten(null);
                          setForgetting({ id: b.user_id, name: b.user_name });
                        }}>{t('forget.action')}</button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {pending && (<ReasonDialog
        open title={t('bookings.cancelAsk')} confirmLabel={t('bookings.cancelConfirm')} busy={cancel.isPending} error={cancel.error}
        onCancel={() => { setPending(null); cancel.reset(); }}
        onConfirm={(reason) => pending && cancel.mutate({ bookingId: pending.id, reason }, { onSuccess: () => setPending(null) })}
      >
        {pending && (
          <p>
            {personName(pending.user_name)}: {linesSummary(standingLines(pending))}.{' '}
            {t('bookings.cancelBody', { count: standingLines(pending).reduce((n, l) => n + l.quantity, 0) })}{' '}
            {refundOnCancel(pending)
              ? t('bookings.cancelRefund', { amount: money(refundOnCancel(pending)!, currencyOf(pending)) })
              : t('bookings.cancelNothing')}{' '}{t('bookings.cancelReason')}
          </p>
        )}
      </ReasonDialog>)}
      {forgetBuyers && (
        <ForgetBuyerDialog buyer={forgetting} onForgotten={(name) => { setForgetting(null); setForgotten(name); }}
          onClose={() => { setForgetting(null); forgetOpener.current?.focus(); }} />
      )}
      {marking && (
        <OfflinePaymentDialog booking={marking.booking} kind={marking.kind} currency={currencyOf(marking.booking)} onClose={() => setMarking(null)} />
      )}
      {refunding && (<ReasonDialog
        open title={refunding.refund ? t('bookings.refundAsk') : t('bookings.cancelTicketAsk')}
        confirmLabel={refunding.refund ? t('bookings.refundConfirm') : t('bookings.cancelTicketConfirm')} busy={refund.isPending} error={refund.error}
        onCancel={() => { setRefunding(null); refund.reset(); }}
        onConfirm={(reason) => refunding && refund.mutate(
          { bookingId: refunding.booking.id, tickets: [refunding.code], reason }, { onSuccess: () => setRefunding(null) })}
      >
        {refunding && (
          <p>
            {personName(refunding.booking.user_name)}: {t('bookings.ticket')} <code>{refunding.code}</code> ({refunding.category},{' '}
            {money(refunding.price, currencyOf(refunding.booking))}). {refunding.refund ? t('bookings.refundBody') : t('bookings.cancelTicketBody')}
          </p>
        )}
      </ReasonDialog>)}
    </>
  );
}

/** A paged list's "more" button. */
export function MoreButton({ query, label }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown }; label: string }) {
  const { t } = useTranslation('organizer');
  if (!query.hasNextPage) return null;
  return (
    <div className="center">
      <button type="button" className="btn btn--ghost" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
        {query.isFetchingNextPage ? t('common:loadingMore') : label}
      </button>
    </div>
  );
}

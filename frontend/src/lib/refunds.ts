import type { Booking, OrderLine, Ticket } from '@/types/api';

import { money } from './format';
import { i18n } from './i18n';
import { amountOwed, linesOf, linesTotal, ticketPrice } from './order-lines';

const cents = (amount: string | number) => Math.round(Number(amount) * 100);

// A payment that took the buyer's money: what is cancelled of it goes back. Not one awaiting a transfer, nor a
// booking paid at the door that was never marked paid.
const TAKEN = new Set(['succeeded', 'refunded', 'refund_pending', 'refund_failed']);

/** Whether the booking's money was taken, so that a cancellation gives some back. */
export function moneyTaken(b: Pick<Booking, 'payment'>): boolean {
  return !!b.payment && TAKEN.has(b.payment.status);
}

/** Whether what went back is all back (else it is still on its way). */
function refundDone(b: Pick<Booking, 'payment'>): boolean {
  return b.payment?.status === 'refunded';
}

/** How money going back reads, the same for the buyer and the organizer: "€40.00 refunded", "€40.00 being refunded". */
export function refundWords(amount: string | number, currency: string | undefined, done: boolean): string {
  return i18n.t(done ? 'bookings:refund.done' : 'bookings:refund.going', { amount: money(amount, currency) });
}

/** What a ticket cancelled out of a booking that stands gave back, in words; null when nothing went back (it was
 * free, or not paid for). */
export function ticketRefund(b: Booking, t: Pick<Ticket, 'status' | 'category'>, currency?: string): string | null {
  if (t.status !== 'cancelled' || b.status !== 'confirmed' || !moneyTaken(b)) return null;
  const price = ticketPrice(b, t);
  return Number(price) > 0 ? refundWords(price, currency, refundDone(b)) : null;
}

/** What a cancelled booking gave back, in words; null when nothing went back. */
export function bookingRefund(b: Booking, currency?: string): string | null {
  const p = b.payment;
  if (b.status !== 'cancelled' || !p || !moneyTaken(b)) return null;
  if (refundDone(b)) return Number(p.refunded) > 0 ? refundWords(p.refunded, p.currency ?? currency, true) : null;
  const going = (cents(p.amount) - cents(p.refunded)) / 100;
  return going > 0 ? refundWords(going, p.currency ?? currency, false) : null;
}

/** What cancelling the rest of a booking gives back now: the price of its tickets still valid, once paid for; null
 * when nothing would go back (free, or not paid yet). */
export function refundOnCancel(b: Booking): string | null {
  if (!moneyTaken(b)) return null;
  const owed = amountOwed(b);
  return Number(owed) > 0 ? owed : null;
}

/** The lines of what still stands of a booking: each line's tickets not cancelled (a ticket refunded on its own is
 * no longer in it). */
export function standingLines(b: Booking): OrderLine[] {
  const lines = linesOf(b);
  if (!b.tickets.some((t) => t.status === 'cancelled')) return lines;
  return lines
    .map((line) => ({ ...line, quantity: b.tickets.filter((t) => t.category === line.category && t.status !== 'cancelled').length }))
    .filter((line) => line.quantity > 0);
}

/** What the tickets cancelled one by one out of a booking that stands cost together. */
export function cancelledTicketsTotal(b: Booking): number {
  const cancelled = b.tickets.filter((t) => t.status === 'cancelled');
  return linesTotal(cancelled.map((t) => ({ quantity: 1, unit_price: ticketPrice(b, t) })));
}

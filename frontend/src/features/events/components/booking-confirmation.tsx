import { type ReactNode, useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';

import { BookingProof } from '@/components/booking-proof/booking-proof';
import { OrderLines } from '@/components/order-lines/order-lines';
import { TaxLines } from '@/components/order-lines/tax-lines';
import { Badge, Notice, statusTone } from '@/components/ui/feedback';
import { useAuth } from '@/lib/auth';
import { money } from '@/lib/format';
import { discounted, linesOf, linesSummary, orderListTotal, voucherSaving } from '@/lib/order-lines';
import { orderTaxes, type TaxRule } from '@/lib/taxes';
import type { Booking } from '@/types/api';

import { TicketQr } from './ticket-qr';

interface Props {
  booking: Booking;
  currency: string;
  onClose: () => void;
  /** The event's tax rules: they say whether a tax in the total was included in the prices or added on top. */
  taxRules?: TaxRule[] | null;
  /** More about the booking, under where its tickets went (its invoice, from another feature). */
  children?: ReactNode;
}

/** The booking just made: what was booked (each category's line and the total, for an order across categories), the
 * tax in its total, where its tickets were e-mailed, and its tickets, each with its category. */
export function BookingConfirmation({ booking, currency, onClose, taxRules, children }: Props) {
  const lines = linesOf(booking);
  const transfer = booking.payment;
  const { user } = useAuth();
  // Every booking's confirmation goes to its holder's address: the signed-in buyer's own.
  const address = user && user.id === booking.user_id ? user.email : null;
  const one = booking.tickets.length === 1;
  // What a voucher took off: each line's list price beside its own, and the total before it.
  const saving = voucherSaving(lines, booking.total_amount, booking.list_total);
  // Shown in place of the checkout the buyer just confirmed: the focus follows, to the news that it is booked.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, []);
  return (
    <section className="confirmation" aria-labelledby="confirmation-title" data-testid="booking-confirmation">
      <h2 id="confirmation-title" ref={heading} tabIndex={-1}>✓ Booked: {linesSummary(lines)}</h2>
      {(lines.length > 1 || lines.some(discounted)) && <OrderLines lines={lines} currency={currency} label="Your order" />}
      <p>
        Total{saving > 0 && <> <s className="price-cut__was" data-testid="booking-list-total"><span className="sr-only">was </span>{money(orderListTotal(lines, booking.list_total), currency)}</s></>}
        {' '}<strong data-testid="booking-total">{money(booking.total_amount, currency)}</strong>
        {saving > 0 && <span data-testid="booking-saving"> ({money(saving, currency)} off with your voucher)</span>}
        {' '}· booking <code>{booking.id.slice(0, 8)}</code>
      </p>
      <TaxLines taxes={orderTaxes(booking.taxes, lines)} rules={taxRules} currency={currency} />
      <p data-testid="tickets-emailed">
        {one ? 'Your ticket was' : 'Your tickets were'} e-mailed to {address ? <strong>{address}</strong> : 'you'}, as a PDF
        with {one ? 'its QR code' : 'a QR code for each'}. Not in your inbox within a few minutes? Look in your spam
        folder, or send {one ? 'it' : 'them'} again from My bookings.
      </p>
      {children}
      {transfer && transfer.status === 'awaiting_payment' && (
        <Notice tone="info">
          <span data-testid="transfer-due">
            Transfer <strong data-testid="transfer-amount">{money(transfer.amount, transfer.currency)}</strong>, quoting the
            reference <strong data-testid="transfer-reference">{transfer.reference}</strong>. The organizer marks it paid
            once the money arrives; the reference is also in My bookings.
          </span>
        </Notice>
      )}
      <ul className="tickets" aria-label="Your tickets">
        {booking.tickets.map((ticket) => (
          <li key={ticket.code} className="ticket" data-testid="ticket">
            <TicketQr code={ticket.code} size={112} />
            <div>
              <code className="ticket__code" data-testid="ticket-code">{ticket.code}</code>
              {ticket.category && <span className="ticket__category" data-testid="ticket-category">{ticket.category}</span>}
              <Badge tone={statusTone(ticket.status)}>{ticket.status}</Badge>
            </div>
          </li>
        ))}
      </ul>
      <div className="row">
        <Link to="/my-bookings" className="btn">See my bookings</Link>
        <button type="button" className="btn btn--ghost" onClick={onClose}>Book more</button>
      </div>
      <BookingProof bookingId={booking.id} position={booking.position} />
    </section>
  );
}

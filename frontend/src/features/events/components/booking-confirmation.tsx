import { type ReactNode, useEffect, useRef } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { BookingProof } from '@/components/booking-proof/booking-proof';
import { OrderLines } from '@/components/order-lines/order-lines';
import { TaxLines } from '@/components/order-lines/tax-lines';
import { Badge, Notice, statusTone, statusWord } from '@/components/ui/feedback';
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
  const { t } = useTranslation('bookings');
  // Every booking's confirmation goes to its holder's address: the signed-in buyer's own.
  const address = user && user.id === booking.user_id ? user.email : null;
  const count = booking.tickets.length;
  // What a voucher took off: each line's list price beside its own, and the total before it.
  const saving = voucherSaving(lines, booking.total_amount, booking.list_total);
  // Shown in place of the checkout the buyer just confirmed: the focus follows, to the news that it is booked.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, []);
  return (
    <section className="confirmation" aria-labelledby="confirmation-title" data-testid="booking-confirmation">
      <h2 id="confirmation-title" ref={heading} tabIndex={-1}>✓ {t('confirmation.booked', { lines: linesSummary(lines) })}</h2>
      {(lines.length > 1 || lines.some(discounted)) && <OrderLines lines={lines} currency={currency} label={t('confirmation.order')} />}
      <p>
        {t('total')}{saving > 0 && <> <s className="price-cut__was" data-testid="booking-list-total"><span className="sr-only">{t('was')} </span>{money(orderListTotal(lines, booking.list_total), currency)}</s></>}
        {' '}<strong data-testid="booking-total">{money(booking.total_amount, currency)}</strong>
        {saving > 0 && <span data-testid="booking-saving"> ({t('confirmation.saving', { amount: money(saving, currency) })})</span>}
        {' '}· {t('confirmation.booking')} <code>{booking.id.slice(0, 8)}</code>
      </p>
      <TaxLines taxes={orderTaxes(booking.taxes, lines)} rules={taxRules} currency={currency} />
      <p data-testid="tickets-emailed">
        <Trans t={t} i18nKey={address ? 'confirmation.emailedTo' : 'confirmation.emailed'} count={count}
          values={{ address }} components={{ strong: <strong /> }} />
      </p>
      {children}
      {transfer && transfer.status === 'awaiting_payment' && (
        <Notice tone="info">
          <span data-testid="transfer-due">
            <Trans t={t} i18nKey="confirmation.transfer"
              values={{ amount: money(transfer.amount, transfer.currency), reference: transfer.reference }}
              components={{ amount: <strong data-testid="transfer-amount" />, reference: <strong data-testid="transfer-reference" /> }} />
          </span>
        </Notice>
      )}
      <ul className="tickets" aria-label={t('confirmation.tickets')}>
        {booking.tickets.map((ticket) => (
          <li key={ticket.code} className="ticket" data-testid="ticket">
            <TicketQr code={ticket.code} size={112} />
            <div>
              <code className="ticket__code" data-testid="ticket-code">{ticket.code}</code>
              {ticket.category && <span className="ticket__category" data-testid="ticket-category">{ticket.category}</span>}
              <Badge tone={statusTone(ticket.status)}>{statusWord(ticket.status)}</Badge>
            </div>
          </li>
        ))}
      </ul>
      <div className="row">
        <Link to="/my-bookings" className="btn">{t('confirmation.seeMine')}</Link>
        <button type="button" className="btn btn--ghost" onClick={onClose}>{t('confirmation.more')}</button>
      </div>
      <BookingProof bookingId={booking.id} position={booking.position} />
    </section>
  );
}

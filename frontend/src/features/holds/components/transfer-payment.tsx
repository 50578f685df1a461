import { useState } from 'react';

import { ErrorMessage, Notice } from '@/components/ui/feedback';
import { money } from '@/lib/format';
import type { Booking, Hold, Payment } from '@/types/api';

import { getBooking, payHoldBy, usePaidHold } from '../api/pay-hold';

interface Props {
  hold: Hold;
  /** The method's name and what a person reads (a bank transfer). */
  method: { name: string; label: string };
  currency: string;
  total: number;
  onBooked: (booking: Booking) => void;
  /** Whether another action on the hold (releasing it) is under way. */
  busy?: boolean;
}

/**
 * Pay for a hold by bank transfer: the seats are booked at once and their price owed; the buyer is
 * shown the booking, the amount to transfer and the reference to quote, which the organizers match
 * when they mark the money received.
 */
export function TransferPayment({ hold, method, currency, total, onBooked, busy = false }: Props) {
  const [problem, setProblem] = useState<unknown>(null);
  const [paying, setPaying] = useState(false);
  const [done, setDone] = useState<{ payment: Payment; booking: Booking } | null>(null);
  const refresh = usePaidHold();

  async function book() {
    setPaying(true);
    setProblem(null);
    try {
      const payment = await payHoldBy(hold.id, method.name);
      if (!payment.booking_id) throw new Error('The seats were not booked. Try again.');
      refresh();
      setDone({ payment, booking: await getBooking(payment.booking_id) });
    } catch (error) {
      setProblem(error);
    } finally {
      setPaying(false);
    }
  }

  if (done) {
    return (
      <div className="transfer-payment" data-testid="transfer-payment">
        <Notice tone="success">
          <p>Your seats are booked. Your booking is <strong data-testid="transfer-booking">{done.booking.id.slice(0, 8)}</strong>.</p>
          <p>
            Transfer <strong data-testid="transfer-amount">{money(done.payment.amount, done.payment.currency)}</strong>,
            quoting the reference <strong data-testid="transfer-reference">{done.payment.reference}</strong>.
            The organizer marks it paid once the money arrives.
          </p>
        </Notice>
        <div className="row">
          <button type="button" className="btn" onClick={() => onBooked(done.booking)}>See my booking</button>
        </div>
      </div>
    );
  }
  return (
    <div className="transfer-payment" data-testid="transfer-payment">
      <p className="muted">Your seats are booked at once; you pay {money(total, currency)} by bank transfer with the reference shown next.</p>
      {problem !== null && <ErrorMessage error={problem} title="Not booked" />}
      <div className="row">
        <button type="button" className="btn" disabled={paying || busy} onClick={() => void book()}>
          {paying ? 'Booking…' : `Book and pay by ${method.label.toLowerCase()}`}
        </button>
      </div>
    </div>
  );
}

import { Link } from 'react-router-dom';

import { Badge, statusTone } from '@/components/ui/feedback';
import { money } from '@/lib/format';
import type { Booking } from '@/types/api';

import { ProofDownload } from './proof-download';
import { TicketQr } from './ticket-qr';

export function BookingConfirmation({ booking, currency, onClose }: { booking: Booking; currency: string; onClose: () => void }) {
  return (
    <section className="confirmation" aria-labelledby="confirmation-title" data-testid="booking-confirmation">
      <h2 id="confirmation-title">✓ Booked: {booking.quantity} × {booking.category}</h2>
      <p>
        Total <strong>{money(booking.total_amount, currency)}</strong> · booking <code>{booking.id.slice(0, 8)}</code>
      </p>
      <ul className="tickets" aria-label="Your tickets">
        {booking.tickets.map((ticket) => (
          <li key={ticket.code} className="ticket">
            <TicketQr code={ticket.code} size={112} />
            <div>
              <code className="ticket__code" data-testid="ticket-code">{ticket.code}</code>
              <Badge tone={statusTone(ticket.status)}>{ticket.status}</Badge>
            </div>
          </li>
        ))}
      </ul>
      <div className="row">
        <Link to="/my-bookings" className="btn">See my bookings</Link>
        <button type="button" className="btn btn--ghost" onClick={onClose}>Book more</button>
      </div>
      <ProofDownload bookingId={booking.id} />
    </section>
  );
}

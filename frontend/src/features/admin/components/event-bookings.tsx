import { Badge, Empty, ErrorMessage, statusTone } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { dateTime, money } from '@/lib/format';

import { useEventBookings } from '../api/events';

export function EventBookings({ eventId, currency }: { eventId: string; currency?: string }) {
  const bookings = useEventBookings(eventId);
  if (bookings.isPending) return <Spinner label="Loading bookings" />;
  if (bookings.isError) return <ErrorMessage error={bookings.error} onRetry={() => void bookings.refetch()} />;
  if (bookings.data.length === 0) return <Empty title="No bookings on this event yet" />;
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Bookings of this event">
        <thead>
          <tr>
            <th scope="col">Booked</th><th scope="col">Customer</th><th scope="col">Category</th>
            <th scope="col" className="num">Qty</th><th scope="col" className="num">Total</th>
            <th scope="col">Status</th><th scope="col">Tickets</th>
          </tr>
        </thead>
        <tbody>
          {bookings.data.map((b) => (
            <tr key={b.id}>
              <td>{dateTime(b.created_at)}</td>
              <td>{b.user_name}</td>
              <td>{b.category}</td>
              <td className="num">{b.quantity}</td>
              <td className="num">{money(b.total_amount, currency)}</td>
              <td><Badge tone={statusTone(b.status)}>{b.status}</Badge></td>
              <td>
                {b.tickets.map((t) => (
                  <span key={t.code} className="mini-ticket"><code>{t.code}</code> <Badge tone={statusTone(t.status)}>{t.status}</Badge></span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

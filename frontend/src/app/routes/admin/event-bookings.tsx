import { Link, useParams } from 'react-router-dom';

import { useAdminEvent } from '@/features/admin/api/events';
import { EventBookings } from '@/features/admin/components/event-bookings';

export function AdminEventBookingsRoute() {
  const { eventId = '' } = useParams();
  const event = useAdminEvent(eventId);
  return (
    <div className="card">
      <p className="crumbs"><Link to="/admin">← Dashboard</Link> · <Link to={`/admin/events/${eventId}/box-office`}>Box office</Link>
        {' · '}<Link to={`/admin/events/${eventId}/vouchers`}>Vouchers</Link></p>
      <h1>Bookings{event.data ? ` of “${event.data.name}”` : ''}</h1>
      <EventBookings eventId={eventId} currency={event.data?.currency} />
    </div>
  );
}

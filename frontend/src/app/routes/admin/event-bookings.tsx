import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';

import { useAdminEvent } from '@/features/admin/api/events';
import { EventBookings } from '@/features/admin/components/event-bookings';

export function AdminEventBookingsRoute() {
  const { t } = useTranslation('organizer');
  const { eventId = '' } = useParams();
  const event = useAdminEvent(eventId);
  return (
    <div className="card">
      <p className="crumbs"><Link to="/admin">{t('editor.dashboard')}</Link> · <Link to={`/admin/events/${eventId}/box-office`}>{t('manage:boxOffice')}</Link>
        {' · '}<Link to={`/admin/events/${eventId}/vouchers`}>{t('manage:vouchers')}</Link></p>
      <h1>{event.data ? t('bookings.titleOf', { name: event.data.name }) : t('manage:bookings')}</h1>
      <EventBookings eventId={eventId} currency={event.data?.currency} />
    </div>
  );
}

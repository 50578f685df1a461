import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';

import { useAdminEvent } from '@/features/admin/api/events';
import { BoxOffice } from '@/features/box-office/components/box-office';
import { EventInvoices } from '@/features/invoices/components/invoice-list';
import { eventTime } from '@/lib/format';

export function AdminBoxOfficeRoute() {
  const { t } = useTranslation('boxOffice');
  const { eventId = '' } = useParams();
  const event = useAdminEvent(eventId);
  const zone = event.data?.timezone ?? 'UTC';
  return (
    <>
      <div className="card">
        <p className="crumbs"><Link to="/admin">{t('organizer:editor.dashboard')}</Link> · <Link to={`/admin/events/${eventId}/bookings`}>{t('manage:bookings')}</Link>
          {' · '}<Link to={`/admin/events/${eventId}/vouchers`}>{t('manage:vouchers')}</Link></p>
        <h1>{t('manage:boxOffice')}{event.data ? ` · ${event.data.name}` : ''}</h1>
        {event.data && <p className="muted">{event.data.venue ? `${event.data.venue} · ` : ''}{eventTime(event.data.starts_at, zone)}</p>}
      </div>
      <BoxOffice eventId={eventId} zone={zone} startsAt={event.data?.starts_at} canCheckIn />
      <section className="card" aria-labelledby="invoices-title">
        <h2 id="invoices-title">{t('invoices')}</h2>
        <EventInvoices eventId={eventId} />
      </section>
    </>
  );
}

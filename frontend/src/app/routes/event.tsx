import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';

import { useEvent } from '@/features/events/api/get-event';
import { EventDetails } from '@/features/events/components/event-details';
import { EventLifecycle } from '@/features/admin/components/event-lifecycle';
import { ReserveSeats } from '@/features/holds/components/reserve-seats';
import { InvoiceNote } from '@/features/invoices/components/booking-invoices';
import { InvoiceAtCheckout } from '@/features/invoices/components/invoice-at-checkout';
import { useAuth } from '@/lib/auth';
import { owns, runs } from '@/lib/authorization';

export function EventRoute() {
  const { eventId = '' } = useParams();
  const { user, hasRole } = useAuth();
  // A voucher link an organizer handed out (`/events/{id}?voucher=CODE`): its hidden categories shown, its code
  // filled in at checkout.
  const voucher = useSearchParams()[0].get('voucher');
  const event = useEvent(eventId, voucher);
  const e = event.data;
  const { t } = useTranslation('manage');
  return (
    <EventDetails
      key={eventId} eventId={eventId} voucher={voucher}
      checkout={(slot) => (
        <ReserveSeats {...slot} checkoutExtra={({ hold, setStep }) => (
          <InvoiceAtCheckout holdId={hold.id} organizerId={slot.event.organizer_id} setStep={setStep} />
        )} />
      )}
      confirmation={(booking) => <InvoiceNote bookingId={booking.id} />}
    >
      {e && runs(user, e) && (
        <section className="card manage" aria-labelledby="manage-title">
          <h2 id="manage-title">{t('title')}</h2>
          <p className="row">
            {e.status === 'active' && <Link to={`/admin/events/${e.id}/edit`}>{t('edit')}</Link>}
            <Link to={`/admin/events/${e.id}/bookings`}>{t('bookings')}</Link>
            <Link to={`/admin/events/${e.id}/box-office`}>{t('boxOffice')}</Link>
            <Link to={`/admin/events/${e.id}/vouchers`}>{t('vouchers')}</Link>
          </p>
          {owns(user, e) && <EventLifecycle key={`${e.id}-${e.status}`} event={e} admin={hasRole('admin')} />}
        </section>
      )}
    </EventDetails>
  );
}

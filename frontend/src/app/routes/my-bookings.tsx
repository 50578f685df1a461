import { useTranslation } from 'react-i18next';
import { MyBookings } from '@/features/bookings/components/my-bookings';
import { HoldsAndWaitlists } from '@/features/holds/components/holds-and-waitlists';
import { BookingInvoices } from '@/features/invoices/components/booking-invoices';
import { InvoiceAtCheckout } from '@/features/invoices/components/invoice-at-checkout';
import { useAuth } from '@/lib/auth';

export function MyBookingsRoute() {
  const { user } = useAuth();
  const { t } = useTranslation('bookings');
  return (
    <>
      <h1>{t('title')}</h1>
      {user && (
        <HoldsAndWaitlists userId={user.id} checkoutExtra={({ hold, setStep, event }) => (
          <InvoiceAtCheckout holdId={hold.id} organizerId={event?.organizer_id} setStep={setStep} />
        )} />
      )}
      {user && (
        <MyBookings userId={user.id} extra={(booking, event) => (
          <BookingInvoices bookingId={booking.id} organizerId={event?.organizer_id} open={booking.status === 'confirmed'} />
        )} />
      )}
    </>
  );
}

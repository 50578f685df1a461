import { useTranslation } from 'react-i18next';

import { Empty, ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { useAuth } from '@/lib/auth';

import { useEventBookings } from '../api/bookings';
import { BookingsTable, MoreButton } from './bookings-table';

/** An event's bookings, page by page; its organizer or an admin cancels one with a reason, and an organizer forgets a
 * buyer of theirs (an admin erases anyone from Users instead). */
export function EventBookings({ eventId, currency }: { eventId: string; currency?: string }) {
  const { t } = useTranslation('organizer');
  const { hasRole } = useAuth();
  const bookings = useEventBookings(eventId);
  const items = bookings.data?.pages.flatMap((p) => p.items) ?? [];
  if (bookings.isPending) return <Spinner label={t('bookings.loading')} />;
  if (bookings.isError) return <ErrorMessage error={bookings.error} onRetry={() => void bookings.refetch()} />;
  if (items.length === 0) return <Empty title={t('bookings.none')} />;
  return (
    <>
      <BookingsTable bookings={items} showEvent={false} currency={currency} forgetBuyers={hasRole('organizer')} />
      <MoreButton query={bookings} label={t('bookings.more')} />
    </>
  );
}

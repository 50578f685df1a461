import { useTranslation } from 'react-i18next';

import { Empty, ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';

import { useBookedEvents, useUserBookings } from '../api/bookings';
import { BookingsTable, MoreButton } from './bookings-table';

/** A user's bookings, page by page; an admin cancels one with a reason. */
export function UserBookings({ userId }: { userId: string }) {
  const { t } = useTranslation('organizer');
  const bookings = useUserBookings(userId);
  const items = bookings.data?.pages.flatMap((p) => p.items) ?? [];
  const events = useBookedEvents(items.map((b) => b.event_id));
  if (bookings.isPending) return <Spinner label={t('bookings.loading')} />;
  if (bookings.isError) return <ErrorMessage error={bookings.error} onRetry={() => void bookings.refetch()} />;
  if (items.length === 0) return <Empty title={t('bookings.noneOfUser')} />;
  return (
    <>
      <BookingsTable bookings={items} events={events} showEvent />
      <MoreButton query={bookings} label={t('bookings.more')} />
    </>
  );
}

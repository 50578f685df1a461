import { ROOT } from '@/lib/react-query';

/** Every query key of the bookings feature. */
export const bookingKeys = {
  all: [ROOT.myBookings] as const,
  list: (userId: string) => [ROOT.myBookings, 'list', userId] as const,
  /** The event a booking is for (its name and date beside the booking). */
  event: (eventId: string) => [ROOT.myBookings, 'event', eventId] as const,
};

import { ROOT } from '@/lib/react-query';

/** Every query key of the events feature (a list's filters are part of its key, whatever they hold). */
export const eventKeys = {
  all: [ROOT.events] as const,
  list: <F extends object>(filters: F) => [ROOT.events, 'list', filters] as const,
  detail: (eventId: string) => [ROOT.events, 'detail', eventId] as const,
  /** What the signed-in user holds on one event: under "my bookings", which a booking changes. */
  held: (userId: string | undefined, eventId: string) => [ROOT.myBookings, 'held', userId, eventId] as const,
};

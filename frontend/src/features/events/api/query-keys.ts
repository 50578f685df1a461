import { ROOT } from '@/lib/react-query';

import type { EventFilters } from './get-events';

/** Every query key of the events feature. */
export const eventKeys = {
  all: [ROOT.events] as const,
  list: (filters: EventFilters) => [ROOT.events, 'list', filters] as const,
  detail: (eventId: string) => [ROOT.events, 'detail', eventId] as const,
  /** What the signed-in user holds on one event: under "my bookings", which a booking changes. */
  held: (userId: string | undefined, eventId: string) => [ROOT.myBookings, 'held', userId, eventId] as const,
};

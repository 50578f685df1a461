import { ROOT } from '@/lib/react-query';
import type { Role } from '@/types/api';

/** Every query key of the admin feature (the admins' and organizers' workspace). */
export const adminKeys = {
  all: [ROOT.admin] as const,
  stats: (eventId: string | undefined, minPosition: number | undefined) => [ROOT.admin, 'stats', eventId ?? 'all', minPosition ?? 0] as const,
  event: (eventId: string | undefined) => [ROOT.admin, 'event', eventId] as const,
  eventBookings: (eventId: string) => [ROOT.admin, 'bookings', 'event', eventId] as const,
  userBookings: (userId: string) => [ROOT.admin, 'bookings', 'user', userId] as const,
  bookedEvent: (eventId: string) => [ROOT.admin, 'booked-event', eventId] as const,
  users: (filters: { role?: Role; q: string }) => [ROOT.admin, 'users', filters] as const,
  projections: [ROOT.admin, 'projections'] as const,
  /** The payment methods the server has (the event form's choice). */
  paymentMethods: [ROOT.admin, 'payment-methods'] as const,
};

import { ROOT } from '@/lib/react-query';

/** Every query key of the invoices feature. */
export const invoiceKeys = {
  all: [ROOT.invoices] as const,
  /** The signed-in organizer's own seller's details. */
  mySeller: [ROOT.invoices, 'seller', 'me'] as const,
  /** Whether an organizer issues invoices, and under which name (public). */
  seller: (organizerId: string) => [ROOT.invoices, 'seller', organizerId] as const,
  /** A booking's invoices and cancellations. */
  booking: (bookingId: string) => [ROOT.invoices, 'booking', bookingId] as const,
  /** How asking for a booking's invoice was answered: kept from the answer, as no read tells it. */
  request: (bookingId: string) => [ROOT.invoices, 'request', bookingId] as const,
  /** The invoices the signed-in organizer issued. */
  mine: [ROOT.invoices, 'mine'] as const,
  /** An event's invoices (its box office's list). */
  event: (eventId: string) => [ROOT.invoices, 'event', eventId] as const,
};

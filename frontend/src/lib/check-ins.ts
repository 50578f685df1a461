import type { Booking } from '@/types/api';

import { i18n } from './i18n';

/**
 * Whether a ticket of the booking was checked in (its status `used`): then the ledger refuses to cancel the booking,
 * whoever asks, and to refund that ticket; only its event's cancellation still cancels it.
 */
export function hasCheckedInTicket(b: Pick<Booking, 'tickets'>): boolean {
  return b.tickets.some((t) => t.status === 'used');
}

/** Why a confirmed booking offers no Cancel, in words; null when it may be cancelled as far as check-ins go. */
export function checkedInNote(b: Pick<Booking, 'status' | 'tickets'>): string | null {
  if (b.status !== 'confirmed' || !hasCheckedInTicket(b)) return null;
  const used = b.tickets.filter((t) => t.status === 'used').length;
  if (used === b.tickets.length) return i18n.t('bookings:checkedIn.all', { count: used });
  return i18n.t('bookings:checkedIn.some', { count: used });
}

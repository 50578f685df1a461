import type { Booking } from '@/types/api';

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
  const which = used === b.tickets.length ? (used === 1 ? 'Its ticket was' : 'Its tickets were') : `${used} of its tickets ${used === 1 ? 'was' : 'were'}`;
  return `${which} checked in: it can no longer be cancelled.`;
}

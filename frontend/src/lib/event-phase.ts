/** Where an event is in its life, as a customer sees it. */
export type EventPhase = 'on-sale' | 'started' | 'ended' | 'cancelled';

type Timed = { status: 'active' | 'cancelled' | 'completed'; starts_at: string; ends_at: string | null };

export function eventPhase(event: Timed, now: Date = new Date()): EventPhase {
  if (event.status === 'cancelled') return 'cancelled';
  if (event.status === 'completed') return 'ended';
  if (new Date(event.starts_at) > now) return 'on-sale';
  return event.ends_at && new Date(event.ends_at) <= now ? 'ended' : 'started';
}

/** Why an event cannot be booked, or null while it is on sale. */
export function closedReason(phase: EventPhase): string | null {
  switch (phase) {
    case 'cancelled': return 'This event was cancelled; it cannot be booked.';
    case 'ended': return 'This event has ended; it cannot be booked.';
    case 'started': return 'This event has started: booking is closed.';
    default: return null;
  }
}

import type { ReactNode } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import type { Place } from '@/types/api';

import { useLeaveWaitlist } from '../api/leave-waitlist';

/** "You are #3 on the waitlist", or what became of a place that no longer waits. */
export function placeLabel(place: Place): string {
  if (place.status === 'waiting') return place.rank ? `You are #${place.rank} on the waitlist` : 'You are on the waitlist';
  return { offered: 'Seats offered to you', served: 'Booked from the waitlist', passed: 'The offer passed', left: 'You left the waitlist',
    closed: 'The event closed', ended: 'The waitlist ended' }[place.status];
}

/** A place on a waitlist: its rank, what it waits for, and Leave. */
export function WaitlistPlace({ place, context, level = 2 }: { place: Place; context?: ReactNode; level?: 2 | 3 }) {
  const leave = useLeaveWaitlist();
  const Heading = level === 3 ? 'h3' : 'h2';
  return (
    <section className="waitlist-place" aria-label="Your place on the waitlist" data-testid="waitlist-place">
      <Heading data-testid="place-rank">{placeLabel(place)}</Heading>
      {context}
      <p className="muted">
        For {place.quantity ?? '—'} × {place.category ?? '—'}. When seats come back on sale they are offered by rank, in the
        order of joining: yours show up here, for a limited time to confirm.
      </p>
      {leave.error && <ErrorMessage error={leave.error} title="Could not leave the waitlist" />}
      {place.status === 'waiting' && (
        <button type="button" className="btn btn--ghost btn--small" disabled={leave.isPending} onClick={() => leave.mutate(place.id)}>
          {leave.isPending ? 'Leaving…' : 'Leave the waitlist'}
        </button>
      )}
    </section>
  );
}

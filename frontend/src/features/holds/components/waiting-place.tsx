import type { ReactNode } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import type { Place } from '@/types/api';

import { useLeaveWaitlist } from '../api/leave-waitlist';

/** "#3 in line", or what became of a place that no longer waits. */
export function placeLabel(place: Place): string {
  if (place.status === 'waiting') return place.place ? `You are #${place.place} in line` : 'You are in line';
  return { offered: 'Seats offered to you', served: 'Booked from the line', passed: 'The offer passed', left: 'You left the line',
    closed: 'The event closed', ended: 'The line ended' }[place.status];
}

/** A place in a waiting line: its rank, what it waits for, and Leave. */
export function WaitingPlace({ place, context, level = 2 }: { place: Place; context?: ReactNode; level?: 2 | 3 }) {
  const leave = useLeaveWaitlist();
  const Heading = level === 3 ? 'h3' : 'h2';
  return (
    <section className="waiting-place" aria-label="Your place in line" data-testid="waiting-place">
      <Heading data-testid="place-rank">{placeLabel(place)}</Heading>
      {context}
      <p className="muted">
        For {place.quantity ?? '—'} × {place.category ?? '—'}. When seats come back on sale they are offered in the order of
        joining: yours show up here, for a limited time to confirm.
      </p>
      {leave.error && <ErrorMessage error={leave.error} title="Could not leave the line" />}
      {place.status === 'waiting' && (
        <button type="button" className="btn btn--ghost btn--small" disabled={leave.isPending} onClick={() => leave.mutate(place.id)}>
          {leave.isPending ? 'Leaving…' : 'Leave the line'}
        </button>
      )}
    </section>
  );
}

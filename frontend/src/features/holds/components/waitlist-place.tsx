import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import { i18n } from '@/lib/i18n';
import type { Place } from '@/types/api';

import { useLeaveWaitlist } from '../api/leave-waitlist';

/** "You are #3 on the waitlist", or what became of a place that no longer waits. */
export function placeLabel(place: Place): string {
  if (place.status === 'waiting') return place.rank ? i18n.t('checkout:place.rank', { rank: place.rank }) : i18n.t('checkout:place.waiting');
  return i18n.t(`checkout:place.${place.status}`);
}

/** A place on a waitlist: its rank, what it waits for, and Leave. */
export function WaitlistPlace({ place, context, level = 2 }: { place: Place; context?: ReactNode; level?: 2 | 3 }) {
  const leave = useLeaveWaitlist();
  const { t } = useTranslation('checkout');
  const Heading = level === 3 ? 'h3' : 'h2';
  return (
    <section className="waitlist-place" aria-label={t('place.label')} data-testid="waitlist-place">
      <Heading data-testid="place-rank">{placeLabel(place)}</Heading>
      {context}
      <p className="muted">
        {t('place.for', { seats: `${place.quantity ?? '—'} × ${place.category ?? '—'}` })}
      </p>
      {leave.error && <ErrorMessage error={leave.error} title={t('place.leaveFailed')} />}
      {place.status === 'waiting' && (
        <button type="button" className="btn btn--ghost btn--small" disabled={leave.isPending} onClick={() => leave.mutate(place.id)}>
          {leave.isPending ? t('place.leaving') : t('place.leave')}
        </button>
      )}
    </section>
  );
}

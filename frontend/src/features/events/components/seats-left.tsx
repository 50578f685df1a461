import { useTranslation } from 'react-i18next';

import { i18n } from '@/lib/i18n';

/** Seats left in words; `status` is the event's, or its phase once it started ('started', 'ended'). */
export function seatsLabel(available: number, total: number, status: string): string {
  if (status === 'cancelled') return i18n.t('events:seats.cancelled');
  if (status === 'completed' || status === 'ended') return i18n.t('events:seats.ended');
  if (status === 'started') return i18n.t('events:seats.closed');
  if (available === 0) return i18n.t('events:seats.soldOut');
  if (available <= Math.max(3, total * 0.1)) return i18n.t('events:seats.only', { count: available });
  return i18n.t('events:seats.left', { count: available, total });
}

/** Seats left as text and a bar; announced politely when it changes live. */
export function SeatsLeft({ available, total, status }: { available: number; total: number; status: string }) {
  useTranslation('events'); // drawn again in another language
  const left = total > 0 && status === 'active' ? Math.round((available / total) * 100) : 0;
  const tone = status !== 'active' || available === 0 ? 'out' : available <= Math.max(3, total * 0.1) ? 'low' : 'ok';
  return (
    <div className={`seats seats--${tone}`}>
      <div className="seats__bar" aria-hidden="true"><span style={{ width: `${left}%` }} /></div>
      <span className="seats__label" aria-live="polite" data-testid="seats-left">
        {seatsLabel(available, total, status)}
      </span>
    </div>
  );
}

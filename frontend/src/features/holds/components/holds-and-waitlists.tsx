import { useTranslation } from 'react-i18next';
import { type ReactNode, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';

import { Notice } from '@/components/ui/feedback';
import { eventTime } from '@/lib/format';
import { linesOf, linesSummary } from '@/lib/order-lines';
import { useLiveAvailability } from '@/lib/live';
import type { Booking, LedgerEvent } from '@/types/api';

import { isLive, useHeldEvents, useMyHolds, useMyPlaces } from '../api/get-my-holds';
import { type CheckoutExtraSlot, CheckoutPanel } from './checkout-panel';
import { WaitlistPlace } from './waitlist-place';

function EventNote({ eventId, event }: { eventId: string; event: LedgerEvent | undefined }) {
  const { t } = useTranslation('checkout');
  return (
    <p className="muted hold-item__event">
      <Link to={`/events/${eventId}`}>{event?.name ?? t('event')}</Link>
      {event ? ` · ${event.venue} · ${eventTime(event.starts_at, event.timezone)}` : ''}
    </p>
  );
}

/**
 * The customer's seats at checkout, the offers made to their places on waitlists, and those places
 * with their rank; ended ones are left out (a confirmed hold is a booking below). Nothing when there is none.
 */
export function HoldsAndWaitlists({ userId, checkoutExtra }: {
  userId: string;
  /** More the buyer gives at a hold's checkout, before paying (another feature's, composed by the route). */
  checkoutExtra?: (slot: CheckoutExtraSlot & { event: LedgerEvent | undefined }) => ReactNode;
}) {
  const [atLeast, setAtLeast] = useState<number | undefined>(undefined);
  const holds = useMyHolds(userId, atLeast);
  const places = useMyPlaces(userId, atLeast);
  // Kept as first seen while on this page, so a hold whose time ran out stays to say it expired.
  const [shownIds, setShownIds] = useState<ReadonlySet<string>>(new Set());
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const [booked, setBooked] = useState<Booking | null>(null);
  const active = (holds.data ?? []).filter((h) => !gone.has(h.id) && (isLive(h) || shownIds.has(h.id)));
  const waitlisted = (places.data ?? []).filter((p) => p.status === 'waiting');
  const events = useHeldEvents([...active.map((h) => h.event_id), ...waitlisted.map((p) => p.event_id)]);

  const activeKey = active.map((h) => h.id).join(',');
  useEffect(() => {
    if (active.some((h) => !shownIds.has(h.id))) setShownIds(new Set([...shownIds, ...active.map((h) => h.id)]));
  }, [activeKey]);

  // On waitlists: the events' live streams tell when seats move, and an offer may be among them.
  const live = useLiveAvailability([...new Set(waitlisted.map((p) => p.event_id))]);
  const latest = Math.max(0, ...Object.values(live).map((v) => v.position));
  const { t } = useTranslation('checkout');
  useEffect(() => {
    if (latest > 0) setAtLeast(latest);
  }, [latest]);
  useEffect(() => {
    if (atLeast === undefined) return;
    void holds.refetch();
    void places.refetch();
  }, [atLeast]);

  if (active.length === 0 && waitlisted.length === 0 && !booked) return null;
  const end = (id: string) => setGone((ids) => new Set(ids).add(id));
  return (
    <section className="holds-and-waitlists" aria-labelledby="holds-title">
      <h2 id="holds-title">{t('holdsTitle')}</h2>
      {booked && (
        <Notice tone="success">
          <span data-testid="hold-booked">{t('bookedBelow', { lines: linesSummary(linesOf(booked)) })}</span>
        </Notice>
      )}
      <ul className="hold-list" aria-label={t('holdsList')}>
        {active.map((h) => (
          <li key={h.id} className="card hold-item" data-testid="hold-item">
            <CheckoutPanel hold={h} currency={events[h.event_id]?.currency ?? 'EUR'} level={3}
              accepted={events[h.event_id]?.payment_methods} taxRules={events[h.event_id]?.taxes}
              extra={checkoutExtra && ((slot) => checkoutExtra({ ...slot, event: events[h.event_id] }))}
              context={<EventNote eventId={h.event_id} event={events[h.event_id]} />}
              onBooked={(booking) => { end(h.id); setBooked(booking); }}
              onReleased={() => end(h.id)}
              restart={(
                <>
                  <Link className="btn btn--small" to={`/events/${h.event_id}`}>{t('goToEvent')}</Link>
                  <button type="button" className="btn btn--ghost btn--small" onClick={() => end(h.id)}>{t('dismiss')}</button>
                </>
              )} />
          </li>
        ))}
        {waitlisted.map((p) => (
          <li key={p.id} className="card hold-item" data-testid="place-item">
            <WaitlistPlace place={p} level={3} context={<EventNote eventId={p.event_id} event={events[p.event_id]} />} />
          </li>
        ))}
      </ul>
    </section>
  );
}

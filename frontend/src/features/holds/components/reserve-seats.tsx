import { useTranslation } from 'react-i18next';
import { type ReactNode, useEffect, useState } from 'react';

import { useAuth } from '@/lib/auth';
import { i18n } from '@/lib/i18n';
import type { Booking, Category, Hold, LedgerEvent } from '@/types/api';

import { isLive, useMyHolds, useMyPlaces } from '../api/get-my-holds';
import { type CheckoutExtraSlot, CheckoutPanel } from './checkout-panel';
import { ReserveForm } from './reserve-form';
import { WaitlistPlace } from './waitlist-place';

export const DEFAULT_HOLD_SECONDS = 600; // the API's, for an event that sets none

/** A hold's length in words: "10 minutes", "90 seconds". */
export function holdLength(seconds: number): string {
  if (seconds % 60 === 0) return i18n.t('checkout:length.minutes', { count: seconds / 60 });
  return i18n.t('checkout:length.seconds', { count: seconds });
}

interface Props {
  event: LedgerEvent;
  /** The event's categories as they stand now (live). */
  categories: Category[];
  /** How many more tickets the user may have on this event from their bookings (null: no limit). */
  perUserLeft: number | null;
  /** The position of the event's latest live availability change. */
  livePosition?: number;
  onBooked: (booking: Booking) => void;
  /** More the buyer gives at checkout, before paying (another feature's, composed by the route). */
  checkoutExtra?: (slot: CheckoutExtraSlot) => ReactNode;
  /** A voucher code the buyer came with: filled in, ready to apply. */
  voucher?: string | null;
}

/**
 * An event's checkout: reserve seats (a hold), then confirm or release them before the time runs
 * out; for a sold-out category, take a place on its waitlist and get its seats offered here, live.
 */
export function ReserveSeats({ event, categories, perUserLeft, livePosition, onBooked, checkoutExtra, voucher }: Props) {
  const { user } = useAuth();
  const { t } = useTranslation('checkout');
  const holds = useMyHolds(user?.id, livePosition);
  const places = useMyPlaces(user?.id, livePosition);
  const waitlisted = (places.data ?? []).filter((p) => p.event_id === event.id && p.status === 'waiting');
  const onWaitlist = waitlisted.length > 0;
  // The hold this page shows until the buyer is done with it, kept once its time runs out too
  // (when the lists no longer count it as live), so the page can say it expired.
  const [current, setCurrent] = useState<Hold | null>(null);
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  // The hold the form on this page just made (not one found in the lists on arrival): its checkout takes the focus.
  const [heldHere, setHeldHere] = useState<string | null>(null);
  const listed = (holds.data ?? []).find((h) => h.event_id === event.id && isLive(h) && !done.has(h.id));

  useEffect(() => {
    if (!current && listed) setCurrent(listed);
  }, [current, listed?.id]);

  // On a waitlist, an offer may come any moment: each change the event's live stream tells (its
  // seats held and waitlisted move when seats are offered) reads the user's holds again.
  useEffect(() => {
    if (!onWaitlist || livePosition === undefined) return;
    void holds.refetch();
    void places.refetch();
  }, [livePosition, onWaitlist]);

  const finish = (hold: Hold) => {
    setDone((ids) => new Set(ids).add(hold.id));
    setCurrent(null);
  };
  const shown = current && !done.has(current.id) ? current : null;
  if (shown) {
    // The lists' newer word on it (confirmed or released elsewhere) wins over the copy kept here.
    const hold = holds.data?.find((h) => h.id === shown.id && h.status !== 'active') ?? shown;
    return (
      <CheckoutPanel key={hold.id} hold={hold} currency={event.currency} accepted={event.payment_methods} taxRules={event.taxes}
        extra={checkoutExtra} takeFocus={hold.id === heldHere}
        onBooked={(booking) => { finish(hold); onBooked(booking); }}
        onReleased={() => finish(hold)}
        restart={<button type="button" className="btn" onClick={() => finish(hold)}>{t('startAgain')}</button>} />
    );
  }

  const holding = (holds.data ?? []).filter((h) => h.event_id === event.id && isLive(h)).reduce((n, h) => n + (h.quantity ?? 0), 0);
  const waitlistedIn = new Set(waitlisted.map((p) => p.category ?? ''));
  // On every category's waitlist, there is nothing more to reserve or join here.
  const more = categories.some((c) => !waitlistedIn.has(c.name));
  return (
    <>
      {waitlisted.map((place) => <WaitlistPlace key={place.id} place={place} />)}
      {more && (
        <>
          <h2>{t('events:book')}</h2>
          <ReserveForm eventId={event.id} currency={event.currency} categories={categories} taxRules={event.taxes}
            perUserLeft={perUserLeft === null ? null : Math.max(0, perUserLeft - holding)}
            waitlistedIn={waitlistedIn}
            holdFor={holdLength(event.hold_seconds ?? DEFAULT_HOLD_SECONDS)}
            onHeld={(held) => { setHeldHere(held.id); setCurrent(held); }} voucher={voucher} />
        </>
      )}
    </>
  );
}

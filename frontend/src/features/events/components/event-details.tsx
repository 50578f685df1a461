import { useTranslation } from 'react-i18next';
import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';

import { Badge, ErrorMessage, Notice, statusTone, statusWord } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { useAuth } from '@/lib/auth';
import { runs } from '@/lib/authorization';
import { eventTime, money } from '@/lib/format';
import { i18n } from '@/lib/i18n';
import { eventDescription, eventName } from '@/lib/event-language';
import { closedReason, useEventPhase } from '@/lib/event-phase';
import { useLiveAvailability } from '@/lib/live';
import { personName } from '@/lib/persons';
import { priceTaxWords, taxOf } from '@/lib/taxes';
import type { Booking, Category, LedgerEvent } from '@/types/api';

import { useEvent } from '../api/get-event';
import { useMyTicketsOn } from '../api/get-my-tickets';
import { BookingConfirmation } from './booking-confirmation';
import { DraftBadge, PublishDraft } from './publish-draft';
import { SeatsLeft } from './seats-left';

/** What the event page gives its checkout (another feature's, composed by the route). */
export interface CheckoutSlot {
  event: LedgerEvent;
  /** Its categories as they stand now, live. */
  categories: Category[];
  /** How many more tickets the user may book on it (null: no limit). */
  perUserLeft: number | null;
  /** The position of its latest live availability change (undefined until the stream speaks). */
  livePosition?: number;
  /** Show the booking made, with its tickets. */
  onBooked: (booking: Booking) => void;
  /** The voucher code the page was opened with (a link an organizer handed out), for the checkout to apply. */
  voucher?: string | null;
}

/** Seats at checkout and owed to the waitlist, in words ("3 held at checkout · 5 on the waitlist"), or null. */
export function categoryDemand(c: Pick<Category, 'held' | 'waitlisted'>): string | null {
  const parts = [
    c.held > 0 ? i18n.t('events:demand.held', { count: c.held }) : '',
    c.waitlisted > 0 ? i18n.t('events:demand.waitlisted', { count: c.waitlisted }) : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : null;
}

/** A category's tax under its price: "incl. 20 % VAT", "+ 8.875 % sales tax"; nothing for a category no rule taxes. */
function PriceTax({ rules, category }: { rules: LedgerEvent['taxes']; category: string }) {
  const tax = taxOf(rules, category);
  return tax ? <small className="price-tax" data-testid={`tax-${category}`}>{priceTaxWords(tax)}</small> : null;
}

interface Props {
  eventId: string;
  /** A voucher code the buyer came with (`?voucher=` in the page's address): the hidden categories it unlocks are
   * shown, and the checkout applies it. */
  voucher?: string | null;
  /** The booking side for a signed-in buyer while the event is on sale. */
  checkout?: (slot: CheckoutSlot) => ReactNode;
  /** More about the booking just made, on its confirmation (its invoice). */
  confirmation?: (booking: Booking) => ReactNode;
  /** What its organizers may do, under its details. */
  children?: ReactNode;
}

/** An event's page: its details and categories, live, beside the checkout while it is on sale. */
export function EventDetails({ eventId, voucher, checkout, confirmation, children }: Props) {
  const event = useEvent(eventId, voucher);
  const { user, hasRole } = useAuth();
  const held = useMyTicketsOn(user?.id, eventId);
  const live = useLiveAvailability([eventId])[eventId];
  const [booked, setBooked] = useState<Booking | null>(null);
  const { t } = useTranslation('events');
  const status = live?.status ?? event.data?.status;
  const fetchedStatus = event.data?.status;
  // The live stream says when the event was completed or cancelled; the event itself is read
  // again then, so everything drawn from it (what its organizers may still do) follows.
  useEffect(() => {
    if (live?.status && fetchedStatus && live.status !== fetchedStatus) void event.refetch();
  }, [live?.status, fetchedStatus]);
  const current = useEventPhase(event.data && status ? { ...event.data, status } : undefined);

  if (event.isPending) return <Spinner label={t('loadingOne')} />;
  if (event.isError) return <ErrorMessage error={event.error} onRetry={() => void event.refetch()} />;
  const e = event.data;
  const phase = current ?? 'on-sale';
  const closed = closedReason(phase);
  const categories: Category[] = e.categories.map((c) => {
    const now = live?.categories.find((l) => l.name === c.name);
    return now ? { ...c, capacity: now.capacity, sold: now.sold, held: now.held ?? c.held, waitlisted: now.waitlisted ?? c.waitlisted, available: now.available } : c;
  });
  // On sale to a walk-up buyer: what the categories say (seats owed to a waitlist are not).
  const available = categories.length ? categories.reduce((n, c) => n + c.available, 0) : live?.available_seats ?? e.available_seats;
  const total = live?.total_seats ?? e.total_seats;
  const perUserLeft = e.max_tickets_per_user === null ? null : Math.max(0, e.max_tickets_per_user - (held.data ?? 0));
  const canBook = hasRole('customer', 'organizer', 'admin');

  return (
    <div className="event-page">
      <section className="event-page__main">
        <p className="crumbs"><Link to="/">← {t('all')}</Link></p>
        <h1>{eventName(e)} {phase !== 'on-sale' && <Badge tone={statusTone(phase)}>{statusWord(phase)}</Badge>} <DraftBadge event={e} /></h1>
        <p className="lead">
          {e.venue || t('venueTba')} · <span data-testid="event-time">{eventTime(e.starts_at, e.timezone)}</span>
          {e.ends_at ? ` – ${eventTime(e.ends_at, e.timezone)}` : ''}
        </p>
        {!e.published && phase === 'on-sale' && runs(user, e) && <PublishDraft event={e} />}
        {e.organizer_id && (
          <p className="muted" data-testid="organizer">
            {t('organizedBy')} <Link to={`/organizers/${e.organizer_id}`}>{personName(e.organizer_name)}</Link>
            {e.co_organizers.length > 0 && ` ${t('organizedWith', { names: e.co_organizers.map((o) => personName(o.name)).join(', ') })}`}
          </p>
        )}
        {eventDescription(e) && <p className="description">{eventDescription(e)}</p>}
        <SeatsLeft available={available} total={total} status={phase === 'on-sale' ? 'active' : phase} />
        <table className="table" aria-label={t('categories.label')}>
          <thead><tr><th scope="col">{t('categories.category')}</th><th scope="col">{t('categories.price')}</th><th scope="col">{t('categories.left')}</th></tr></thead>
          <tbody>
            {categories.map((c) => (
              <tr key={c.name}>
                <th scope="row">{c.name}</th>
                <td>
                  {money(c.price, e.currency)}
                  <PriceTax rules={e.taxes} category={c.name} />
                </td>
                <td>
                  <span data-testid={`left-${c.name}`}>{c.available === 0 ? t('seats.soldOut') : `${c.available} / ${c.capacity}`}</span>
                  {categoryDemand(c) && <small className="category-demand" data-testid={`demand-${c.name}`}>{categoryDemand(c)}</small>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {e.max_tickets_per_user !== null && <p className="muted">{t('limit', { count: e.max_tickets_per_user })}</p>}
        {children}
      </section>
      <aside className="event-page__side card" aria-label={t('booking')}>
        {booked ? (
          <BookingConfirmation booking={booked} currency={e.currency} taxRules={e.taxes} onClose={() => setBooked(null)}>
            {confirmation?.(booked)}
          </BookingConfirmation>
        ) : closed ? (
          <Notice tone="warning"><span data-testid="closed-reason">{closed}</span></Notice>
        ) : !e.published ? (
          <Notice tone="warning"><span data-testid="closed-reason">{t('draftNotOnSale')}</span></Notice>
        ) : !user ? (
          <div>
            <h2>{t('book')}</h2>
            <p className="muted">{t('signInToBook')}</p>
            <div className="row">
              <Link className="btn" to={`/login?next=/events/${e.id}`}>{t('common:layout.logIn')}</Link>
              <Link className="btn btn--ghost" to={`/signup?next=/events/${e.id}`}>{t('common:layout.signUp')}</Link>
            </div>
          </div>
        ) : !canBook ? (
          <Notice>{t('auditorsDoNotBook')}</Notice>
        ) : (
          checkout?.({ event: e, categories, perUserLeft, livePosition: live?.position, onBooked: setBooked, voucher })
        )}
      </aside>
    </div>
  );
}

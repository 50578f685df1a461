import { Link } from 'react-router-dom';

import { Badge, Empty, ErrorMessage, statusTone } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { calendarDay, eventTime, money } from '@/lib/format';
import { eventPhase } from '@/lib/event-phase';
import { useLiveAvailability } from '@/lib/live';
import type { LedgerEvent } from '@/types/api';

import { useEvents, type EventFilters } from '../api/get-events';
import { SeatsLeft } from './seats-left';

/** What an event's tickets cost, as a list shows it: "€25.00", "from €25.00", "Free", or "Free, or from €25.00". */
export function priceFrom(event: LedgerEvent): string {
  if (event.categories.length === 0) return '';
  const prices = event.categories.map((c) => Number(c.price));
  const paid = prices.filter((p) => p > 0);
  if (paid.length === 0) return 'Free';
  const label = money(Math.min(...paid), event.currency);
  if (paid.length < prices.length) return `Free, or from ${label}`;
  return paid.length > 1 ? `from ${label}` : label;
}

export function EventCard({ event, live }: { event: LedgerEvent; live?: { available_seats: number; status: LedgerEvent['status'] } }) {
  const available = live?.available_seats ?? event.available_seats;
  const phase = eventPhase({ ...event, status: live?.status ?? event.status });
  const status = phase === 'on-sale' ? 'active' : phase;
  const date = calendarDay(event.starts_at, event.timezone);
  return (
    <article className="event-card" aria-labelledby={`event-${event.id}`}>
      <div className="event-card__date">
        <span>{date.month}</span>
        <strong>{date.day}</strong>
      </div>
      <div className="event-card__body">
        <h3 id={`event-${event.id}`}>
          <Link to={`/events/${event.id}`}>{event.name}</Link>
        </h3>
        <p className="muted">{event.venue || 'Venue to be announced'} · {eventTime(event.starts_at, event.timezone)}</p>
        {event.description && <p className="event-card__description">{event.description}</p>}
        <div className="event-card__meta">
          <span className="price">{priceFrom(event)}</span>
          {phase !== 'on-sale' && <Badge tone={statusTone(phase)}>{phase}</Badge>}
          {!event.published && <Badge tone="warning">Draft</Badge>}
        </div>
        <SeatsLeft available={available} total={event.total_seats} status={status} />
      </div>
    </article>
  );
}

export function EventList({ filters }: { filters: EventFilters }) {
  const events = useEvents(filters);
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  const live = useLiveAvailability(items.slice(0, 100).map((e) => e.id));

  if (events.isPending) return <Spinner label="Loading events" />;
  if (events.isError) return <ErrorMessage error={events.error} onRetry={() => void events.refetch()} />;
  if (items.length === 0) {
    return (
      <Empty title="No events match">
        <p className="muted">Try another search or clear the dates.</p>
      </Empty>
    );
  }
  return (
    <>
      <div className="event-grid">
        {items.map((event) => <EventCard key={event.id} event={event} live={live[event.id]} />)}
      </div>
      {events.hasNextPage && (
        <div className="center">
          <button type="button" className="btn btn--ghost" onClick={() => void events.fetchNextPage()}
            disabled={events.isFetchingNextPage}>
            {events.isFetchingNextPage ? 'Loading…' : 'More events'}
          </button>
        </div>
      )}
    </>
  );
}

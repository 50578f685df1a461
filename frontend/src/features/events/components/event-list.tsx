import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { Badge, Empty, ErrorMessage, statusTone, statusWord } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { eventDescription, eventName } from '@/lib/event-language';
import { calendarDay, eventTime, money } from '@/lib/format';
import { i18n } from '@/lib/i18n';
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
  if (paid.length === 0) return i18n.t('events:price.free');
  const label = money(Math.min(...paid), event.currency);
  if (paid.length < prices.length) return i18n.t('events:price.freeOrFrom', { price: label });
  return paid.length > 1 ? i18n.t('events:price.from', { price: label }) : label;
}

export function EventCard({ event, live }: { event: LedgerEvent; live?: { available_seats: number; status: LedgerEvent['status'] } }) {
  const available = live?.available_seats ?? event.available_seats;
  const phase = eventPhase({ ...event, status: live?.status ?? event.status });
  const status = phase === 'on-sale' ? 'active' : phase;
  const date = calendarDay(event.starts_at, event.timezone);
  const { t } = useTranslation('events');
  return (
    <article className="event-card" aria-labelledby={`event-${event.id}`}>
      <div className="event-card__date">
        <span>{date.month}</span>
        <strong>{date.day}</strong>
      </div>
      <div className="event-card__body">
        <h3 id={`event-${event.id}`}>
          <Link to={`/events/${event.id}`}>{eventName(event)}</Link>
        </h3>
        <p className="muted">{event.venue || t('venueTba')} · {eventTime(event.starts_at, event.timezone)}</p>
        {eventDescription(event) && <p className="event-card__description">{eventDescription(event)}</p>}
        <div className="event-card__meta">
          <span className="price">{priceFrom(event)}</span>
          {phase !== 'on-sale' && <Badge tone={statusTone(phase)}>{statusWord(phase)}</Badge>}
          {!event.published && <Badge tone="warning">{t('draft')}</Badge>}
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
  const { t } = useTranslation('events');

  if (events.isPending) return <Spinner label={t('loading')} />;
  if (events.isError) return <ErrorMessage error={events.error} onRetry={() => void events.refetch()} />;
  if (items.length === 0) {
    return (
      <Empty title={t('empty.title')}>
        <p className="muted">{t('empty.body')}</p>
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
            {events.isFetchingNextPage ? t('common:loadingMore') : t('more')}
          </button>
        </div>
      )}
    </>
  );
}

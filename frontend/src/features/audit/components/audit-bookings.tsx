import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';

import { Badge, Empty, ErrorMessage, statusTone } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { useDebounced } from '@/lib/debounce';
import { dateTime, money } from '@/lib/format';
import { linesOf, linesSummary } from '@/lib/order-lines';
import type { Booking, LedgerEvent } from '@/types/api';

import { useAuditedEvent, useEventsById } from '../api/events';
import { useEventBookings, useUserBookings, useUserSearch } from '../api/bookings';
import { EventPicker } from './event-picker';
import { shortDigest } from './history-timeline';

/** Who cancelled, and why, as the booking says. */
export function cancellation(b: Booking): string {
  if (b.status !== 'cancelled') return '';
  const by = b.cancelled_by ? `by ${b.cancelled_by === 'customer' ? 'the customer' : `the ${b.cancelled_by}`}` : '';
  return [by, b.cancellation_reason ? `“${b.cancellation_reason}”` : ''].filter(Boolean).join(': ');
}

/** Bookings, read-only: ticket codes as the API gives them (digests for an auditor). */
export function BookingsTable({ bookings, events, showEvent }: {
  bookings: Booking[]; events: Record<string, LedgerEvent | undefined>; showEvent: boolean;
}) {
  return (
    <TableWrap label="Bookings">
      <table className="table" aria-label="Bookings">
        <thead>
          <tr>
            <th scope="col">Booked</th>{showEvent ? <th scope="col">Event</th> : <th scope="col">Customer</th>}
            <th scope="col">Seats</th><th scope="col" className="num">Total</th>
            <th scope="col">Status</th><th scope="col">Tickets</th>
          </tr>
        </thead>
        <tbody>
          {bookings.map((b) => {
            const event = events[b.event_id];
            return (
              <tr key={b.id} data-testid="audit-booking">
                <td className="nowrap">
                  {dateTime(b.created_at)}
                  <small className="block"><Link to={`/audit/heads?booking=${b.id}`}>Proof</Link></small>
                </td>
                {showEvent ? (
                  <td><Link to={`/audit/events/${b.event_id}`}>{event?.name ?? b.event_id.slice(0, 8)}</Link></td>
                ) : (
                  <td><Link to={`/audit/bookings?user=${b.user_id}`}>{b.user_name}</Link></td>
                )}
                <td className="nowrap">
                  {linesOf(b).map((line) => <span key={line.category} className="block" data-testid="booking-line">{linesSummary([line])}</span>)}
                </td>
                <td className="num">{event ? money(b.total_amount, event.currency) : b.total_amount}</td>
                <td>
                  <Badge tone={statusTone(b.status)}>{b.status}</Badge>
                  {cancellation(b) && <small className="muted block">{cancellation(b)}</small>}
                </td>
                <td>
                  {b.tickets.map((t) => (
                    <span key={t.code} className={`mini-ticket mini-ticket--${t.status}`} title={`${t.code} (${t.status})`}>
                      <code>{shortDigest(t.code, 8)}</code>
                      {t.category && <small className="mini-ticket__category">{t.category}</small>}
                      {t.status !== 'active' && <> <Badge tone={statusTone(t.status)}>{t.status}</Badge></>}
                    </span>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Paged({ query, showEvent, empty }: {
  query: ReturnType<typeof useEventBookings>; showEvent: boolean; empty: string;
}) {
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const events = useEventsById(items.map((b) => b.event_id));
  if (query.isPending) return <Spinner label="Loading bookings" />;
  if (query.isError) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  if (items.length === 0) return <Empty title={empty} />;
  return (
    <>
      <BookingsTable bookings={items} events={events} showEvent={showEvent} />
      {query.hasNextPage && (
        <button type="button" className="btn btn--ghost" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
          {query.isFetchingNextPage ? 'Loading…' : 'More bookings'}
        </button>
      )}
    </>
  );
}

export function EventBookingsAudit({ eventId }: { eventId: string }) {
  const event = useAuditedEvent(eventId);
  const bookings = useEventBookings(eventId);
  return (
    <section className="card" aria-label="The event's bookings">
      <h2>Bookings of {event.data ? `“${event.data.name}”` : 'the event'}</h2>
      <Paged query={bookings} showEvent={false} empty="No bookings on this event" />
    </section>
  );
}

export function UserBookingsAudit({ userId }: { userId: string }) {
  const bookings = useUserBookings(userId);
  const name = bookings.data?.pages[0]?.items[0]?.user_name;
  return (
    <section className="card" aria-label="The user's bookings">
      <h2>Bookings of {name ?? 'the user'}</h2>
      <Paged query={bookings} showEvent empty="This user has no bookings" />
    </section>
  );
}

/** Pick an account by the start of its name or email. */
export function UserPicker({ current, onPick }: { current?: string; onPick: (userId: string) => void }) {
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim());
  const users = useUserSearch(q);
  return (
    <div className="event-picker">
      <Field label="Find a user" type="search" value={typed} placeholder="Start of a name or email" onChange={(e) => setTyped(e.target.value)} />
      {users.isPending && <Spinner label="Searching" />}
      {users.isError && <ErrorMessage error={users.error} onRetry={() => void users.refetch()} />}
      {users.isSuccess && users.data.items.length === 0 && <Empty title={q ? `No user starts with “${q}”` : 'No users'} />}
      <ul className="picker">
        {users.data?.items.map((u) => (
          <li key={u.id}>
            <button type="button" className="picker__item" aria-current={u.id === current ? 'true' : undefined} onClick={() => onPick(u.id)}>
              <strong>{u.name}</strong> <Badge>{u.role}</Badge><small>{u.email}</small>
            </button>
          </li>
        ))}
      </ul>
      {users.data?.next_cursor && <small className="field__hint">More match: type more.</small>}
    </div>
  );
}

/** The auditor's bookings page: an event's bookings or a user's (?event= or ?user=). */
export function AuditBookings() {
  const [params, setParams] = useSearchParams();
  const eventId = params.get('event') ?? '';
  const userId = params.get('user') ?? '';
  const [mode, setMode] = useState<'event' | 'user'>(userId ? 'user' : 'event');
  return (
    <div className="audit audit--narrow">
      <aside className="card audit__side">
        <div className="segmented" role="group" aria-label="Bookings of">
          <button type="button" aria-pressed={mode === 'event'} onClick={() => setMode('event')}>An event</button>
          <button type="button" aria-pressed={mode === 'user'} onClick={() => setMode('user')}>A user</button>
        </div>
        {mode === 'event'
          ? <EventPicker current={eventId} onPick={(e) => setParams({ event: e.id })} />
          : <UserPicker current={userId} onPick={(id) => setParams({ user: id })} />}
      </aside>
      <div className="audit__main">
        {eventId ? <EventBookingsAudit key={eventId} eventId={eventId} />
          : userId ? <UserBookingsAudit key={userId} userId={userId} />
            : <Empty title="Choose an event or a user"><p className="muted">Their bookings show here, ticket codes as digests.</p></Empty>}
      </div>
    </div>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';

import { Badge, Empty, ErrorMessage, statusTone, statusWord } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { useDebounced } from '@/lib/debounce';
import { dateTime, money } from '@/lib/format';
import { i18n } from '@/lib/i18n';
import { linesOf, linesSummary } from '@/lib/order-lines';
import { isErased, personName } from '@/lib/persons';
import type { Booking, LedgerEvent } from '@/types/api';

import { useAuditedEvent, useEventsById } from '../api/events';
import { useEventBookings, useUserBookings, useUserSearch } from '../api/bookings';
import { EventPicker } from './event-picker';
import { quoted, shortDigest } from './history-timeline';

/** Who cancelled, and why, as the booking says. */
export function cancellation(b: Booking): string {
  if (b.status !== 'cancelled') return '';
  const by = b.cancelled_by ? i18n.t(`audit:bookings.by.${b.cancelled_by}`) : '';
  return [by, b.cancellation_reason ? quoted(b.cancellation_reason) : ''].filter(Boolean).join(': ');
}

/** Bookings, read-only: ticket codes as the API gives them (digests for an auditor). */
export function BookingsTable({ bookings, events, showEvent }: {
  bookings: Booking[]; events: Record<string, LedgerEvent | undefined>; showEvent: boolean;
}) {
  const { t } = useTranslation('audit');
  return (
    <TableWrap label={t('bookings.table')}>
      <table className="table" aria-label={t('bookings.table')}>
        <thead>
          <tr>
            <th scope="col">{t('bookings.booked')}</th>{showEvent ? <th scope="col">{t('bookings.event')}</th> : <th scope="col">{t('bookings.customer')}</th>}
            <th scope="col">{t('bookings.seats')}</th><th scope="col" className="num">{t('bookings.total')}</th>
            <th scope="col">{t('bookings.status')}</th><th scope="col">{t('bookings.tickets')}</th>
          </tr>
        </thead>
        <tbody>
          {bookings.map((b) => {
            const event = events[b.event_id];
            return (
              <tr key={b.id} data-testid="audit-booking">
                <td className="nowrap">
                  {dateTime(b.created_at)}
                  <small className="block"><Link to={`/audit/heads?booking=${b.id}`}>{t('bookings.proof')}</Link></small>
                </td>
                {showEvent ? (
                  <td><Link to={`/audit/events/${b.event_id}`}>{event?.name ?? b.event_id.slice(0, 8)}</Link></td>
                ) : (
                  <td><Link to={`/audit/bookings?user=${b.user_id}`}>{personName(b.user_name)}</Link></td>
                )}
                <td className="nowrap">
                  {linesOf(b).map((line) => <span key={line.category} className="block" data-testid="booking-line">{linesSummary([line])}</span>)}
                </td>
                <td className="num">{event ? money(b.total_amount, event.currency) : b.total_amount}</td>
                <td>
                  <Badge tone={statusTone(b.status)}>{statusWord(b.status)}</Badge>
                  {cancellation(b) && <small className="muted block">{cancellation(b)}</small>}
                </td>
                <td>
                  {b.tickets.map((ticket) => (
                    <span key={ticket.code} className={`mini-ticket mini-ticket--${ticket.status}`} title={`${ticket.code} (${statusWord(ticket.status)})`}>
                      <code>{shortDigest(ticket.code, 8)}</code>
                      {ticket.category && <small className="mini-ticket__category">{ticket.category}</small>}
                      {ticket.status !== 'active' && <> <Badge tone={statusTone(ticket.status)}>{statusWord(ticket.status)}</Badge></>}
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
  const { t } = useTranslation('audit');
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const events = useEventsById(items.map((b) => b.event_id));
  if (query.isPending) return <Spinner label={t('bookings.loading')} />;
  if (query.isError) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  if (items.length === 0) return <Empty title={empty} />;
  return (
    <>
      <BookingsTable bookings={items} events={events} showEvent={showEvent} />
      {query.hasNextPage && (
        <button type="button" className="btn btn--ghost" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
          {query.isFetchingNextPage ? t('common:loadingMore') : t('bookings.more')}
        </button>
      )}
    </>
  );
}

export function EventBookingsAudit({ eventId }: { eventId: string }) {
  const { t } = useTranslation('audit');
  const event = useAuditedEvent(eventId);
  const bookings = useEventBookings(eventId);
  return (
    <section className="card" aria-label={t('bookings.eventSection')}>
      <h2>{event.data ? t('bookings.ofEvent', { name: event.data.name }) : t('bookings.ofTheEvent')}</h2>
      <Paged query={bookings} showEvent={false} empty={t('bookings.noneEvent')} />
    </section>
  );
}

export function UserBookingsAudit({ userId }: { userId: string }) {
  const { t } = useTranslation('audit');
  const bookings = useUserBookings(userId);
  const name = bookings.data?.pages[0]?.items[0]?.user_name;
  return (
    <section className="card" aria-label={t('bookings.userSection')}>
      <h2>{name ? t('bookings.ofUser', { name: personName(name) }) : t('bookings.ofTheUser')}</h2>
      <Paged query={bookings} showEvent empty={t('bookings.noneUser')} />
    </section>
  );
}

/** Pick an account by the start of its name or email. */
export function UserPicker({ current, onPick }: { current?: string; onPick: (userId: string) => void }) {
  const { t } = useTranslation('audit');
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim());
  const users = useUserSearch(q);
  return (
    <div className="event-picker">
      <Field label={t('bookings.findUser')} type="search" value={typed} placeholder={t('bookings.userPlaceholder')} onChange={(e) => setTyped(e.target.value)} />
      {users.isPending && <Spinner label={t('picker.searching')} />}
      {users.isError && <ErrorMessage error={users.error} onRetry={() => void users.refetch()} />}
      {users.isSuccess && users.data.items.length === 0 && <Empty title={q ? t('bookings.noUserMatch', { q }) : t('bookings.noUsers')} />}
      {/* As the event picker's: the last results out of reach until this search answers. */}
      <ul className="picker" inert={users.isPlaceholderData} aria-busy={users.isPlaceholderData}>
        {users.data?.items.map((u) => (
          <li key={u.id}>
            <button type="button" className="picker__item" aria-current={u.id === current ? 'true' : undefined} onClick={() => onPick(u.id)}>
              <strong>{isErased(u) ? t('privacy:erased') : u.name}</strong> <Badge>{t(`common:roles.${u.role}`)}</Badge><small>{u.email}</small>
            </button>
          </li>
        ))}
      </ul>
      {users.data?.next_cursor && <small className="field__hint">{t('bookings.moreMatch')}</small>}
    </div>
  );
}

/** The auditor's bookings page: an event's bookings or a user's (?event= or ?user=). */
export function AuditBookings() {
  const { t } = useTranslation('audit');
  const [params, setParams] = useSearchParams();
  const eventId = params.get('event') ?? '';
  const userId = params.get('user') ?? '';
  const [mode, setMode] = useState<'event' | 'user'>(userId ? 'user' : 'event');
  return (
    <div className="audit audit--narrow">
      <aside className="card audit__side">
        <div className="segmented" role="group" aria-label={t('bookings.of')}>
          <button type="button" aria-pressed={mode === 'event'} onClick={() => setMode('event')}>{t('bookings.anEvent')}</button>
          <button type="button" aria-pressed={mode === 'user'} onClick={() => setMode('user')}>{t('bookings.aUser')}</button>
        </div>
        {mode === 'event'
          ? <EventPicker current={eventId} onPick={(e) => setParams({ event: e.id })} />
          : <UserPicker current={userId} onPick={(id) => setParams({ user: id })} />}
      </aside>
      <div className="audit__main">
        {eventId ? <EventBookingsAudit key={eventId} eventId={eventId} />
          : userId ? <UserBookingsAudit key={userId} userId={userId} />
            : <Empty title={t('bookings.choose')}><p className="muted">{t('bookings.chooseHint')}</p></Empty>}
      </div>
    </div>
  );
}

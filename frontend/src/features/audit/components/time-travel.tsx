import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';

import { Badge, Empty, ErrorMessage, statusTone } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { dateTime, fromLocalInput, money, plural } from '@/lib/format';
import { linesOf, linesSummary } from '@/lib/order-lines';

import { HISTORY_PAGE, useHistory } from '../api/history';
import { useEventState, useHeadVersion, type EventState, type Moment } from '../api/state';
import { HistoryTimeline } from './history-timeline';

/** Where the loaded part of the stream starts: a little before the asked version, else the last page. */
function startFor(asked: number | undefined, head: number): number {
  return asked ? Math.max(0, asked - 20) : Math.max(0, head - HISTORY_PAGE);
}

/** The holds taking seats out of sale at this version: the write side's, replayed. */
function HoldsThen({ state: s }: { state: EventState }) {
  if (s.holds.length === 0) return <p className="muted" data-testid="state-no-holds">No seats were held.</p>;
  return (
    <TableWrap label="Holds at this version">
    <table className="table" aria-label="Holds at this version">
      <thead><tr><th scope="col">Holder</th><th scope="col">Seats</th><th scope="col">Expires</th></tr></thead>
      <tbody>
        {s.holds.map((h) => (
          <tr key={h.id}>
            <th scope="row">{h.user_name} <small className="muted"><code>{h.user_id.slice(0, 8)}</code></small></th>
            <td>{linesSummary(h.lines)}{h.offer_for && <> <Badge tone="blue">offer</Badge></>}</td>
            <td className="nowrap">{dateTime(h.expires_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </TableWrap>
  );
}

/** The waitlist's places at this version, each with its rank on its category's line. */
function WaitlistThen({ state: s }: { state: EventState }) {
  if (s.waitlist.length === 0) return <p className="muted" data-testid="state-no-waitlist">No one was on a waitlist.</p>;
  return (
    <TableWrap label="Waitlist at this version">
    <table className="table" aria-label="Waitlist at this version">
      <thead><tr><th scope="col" className="num">Rank</th><th scope="col">Category</th><th scope="col" className="num">Seats</th><th scope="col">Waiting</th></tr></thead>
      <tbody>
        {s.waitlist.map((p) => (
          <tr key={p.id}>
            <td className="num">#{p.rank}</td>
            <td>{p.category}</td>
            <td className="num">{p.quantity}</td>
            <th scope="row">{p.user_name} <small className="muted"><code>{p.user_id.slice(0, 8)}</code></small></th>
          </tr>
        ))}
      </tbody>
    </table>
    </TableWrap>
  );
}

/**
 * An event as it was at any version (the address's `?version=`) or moment, beside its history.
 * The history loads a page at a time in both directions: a stream of any length.
 */
export function TimeTravel({ eventId }: { eventId: string }) {
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('version')) || undefined;
  const headVersion = useHeadVersion(eventId);
  const head = headVersion.data ?? 0;
  const [start, setStart] = useState<number | null>(null);
  const [at, setAt] = useState('');
  const [moment, setMoment] = useState<Moment | null>(null);
  useEffect(() => { if (start === null && head) setStart(startFor(asked, head)); }, [start, head, asked]);
  const history = useHistory(eventId, start);
  const loaded = history.items;
  // A version asked by a link outside the loaded part: load around it instead.
  useEffect(() => {
    if (!asked || loaded.length === 0 || history.isFetching) return;
    if (asked < loaded[0].version || asked > loaded[loaded.length - 1].version + 1) setStart(startFor(asked, head));
  }, [asked, loaded, head, history.isFetching]);

  const version = Math.min(asked ?? head, head || 1);
  const select = (v: number) => {
    setMoment(null);
    const next = new URLSearchParams(params);
    next.set('version', String(v));
    setParams(next, { replace: true });
  };
  const state = useEventState(eventId, moment ?? (head ? { version } : null));
  // A moment ("as it was at") lands on a version: the address says which.
  useEffect(() => {
    if (moment && 'at' in moment && state.data && !state.isPlaceholderData && state.data.version !== asked) {
      const next = new URLSearchParams(params);
      next.set('version', String(state.data.version));
      setParams(next, { replace: true });
    }
  }, [moment, state.data, state.isPlaceholderData, asked, params, setParams]);

  if (headVersion.isPending) return <Spinner label="Reading the stream" />;
  if (headVersion.isError) return <ErrorMessage error={headVersion.error} onRetry={() => void headVersion.refetch()} />;
  if (head === 0) return <Empty title="This event has no history" />;
  const s = state.data;
  const shown = s?.version ?? version;

  return (
    <div className="time-travel">
      <section className="card time-travel__controls" aria-label="Time travel">
        <label htmlFor="version-slider" className="slider-label">
          Version <strong data-testid="state-version">{shown}</strong> of {head}
        </label>
        <input id="version-slider" type="range" min={1} max={head} step={1} value={shown}
          aria-valuetext={`version ${shown} of ${head}`}
          onChange={(e) => select(Number(e.target.value))} />
        <div className="row">
          <button type="button" className="btn btn--ghost btn--small" disabled={shown <= 1}
            onClick={() => select(shown - 1)}>◀ Previous</button>
          <button type="button" className="btn btn--ghost btn--small" disabled={shown >= head}
            onClick={() => select(shown + 1)}>Next ▶</button>
          <form className="row" onSubmit={(e) => { e.preventDefault(); if (at) setMoment({ at: fromLocalInput(at) }); }}>
            <label htmlFor="at-moment">or as it was at</label>
            <input id="at-moment" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
            <button type="submit" className="btn btn--small" disabled={!at}>Show</button>
          </form>
        </div>
      </section>
      <div className="time-travel__body">
        <section aria-label="History">
          <h2>History</h2>
          {history.isLoading && <Spinner label="Reading the history" />}
          {history.isError && <ErrorMessage error={history.error} onRetry={() => void history.refetch()} />}
          {history.hasPreviousPage && (
            <button type="button" className="btn btn--ghost btn--small" disabled={history.isFetchingPreviousPage}
              onClick={() => void history.fetchPreviousPage()}>
              {history.isFetchingPreviousPage ? 'Loading…' : `Earlier versions (before v${loaded[0]?.version ?? ''})`}
            </button>
          )}
          {loaded.length > 0 && <HistoryTimeline items={loaded} selected={shown} onSelect={select} />}
          {history.hasNextPage && (
            <button type="button" className="btn btn--ghost btn--small" disabled={history.isFetchingNextPage}
              onClick={() => void history.fetchNextPage()}>
              {history.isFetchingNextPage ? 'Loading…' : 'Later versions'}
            </button>
          )}
        </section>
        <section className="card" aria-label="State at this version" aria-busy={state.isFetching}>
          <h2>As it was</h2>
          {state.isError && <ErrorMessage error={state.error} />}
          {!s && state.isPending && <Spinner label="Replaying" />}
          {s && (
            <>
              <p className="muted">Version {s.version}, recorded {dateTime(s.recorded_at)}</p>
              <p><strong>{s.name}</strong> <Badge tone={statusTone(s.status)}>{s.status}</Badge></p>
              <p data-testid="state-organizer">
                Organized by {s.organizer_name ?? 'admins only (recorded before organizers)'}
                {(s.co_organizers ?? []).length > 0 && ` with ${s.co_organizers.map((o) => o.name).join(', ')}`}
              </p>
              <p data-testid="state-seats">{s.available_seats} of {s.total_seats} seats left · {s.bookings_confirmed} confirmed of {plural(s.bookings_total, 'booking')}</p>
              <TableWrap label="Categories at this version">
              <table className="table" aria-label="Categories at this version">
                <thead><tr><th scope="col">Category</th><th scope="col" className="num">Price</th><th scope="col" className="num">Sold</th><th scope="col" className="num">Capacity</th></tr></thead>
                <tbody>
                  {s.categories.map((c) => (
                    <tr key={c.name}><th scope="row">{c.name}</th><td className="num">{money(c.price, s.currency)}</td><td className="num">{c.sold}</td><td className="num">{c.capacity}</td></tr>
                  ))}
                </tbody>
              </table>
              </TableWrap>
              {s.bookings.length > 0 && (
                <ul className="state-bookings" aria-label="Bookings at this version">
                  {s.bookings.map((b) => (
                    <li key={b.id}>
                      {b.user_name}: {linesSummary(linesOf(b))} <Badge tone={statusTone(b.status)}>{b.status}</Badge>
                    </li>
                  ))}
                </ul>
              )}
              {s.bookings_next_offset !== null && <p className="muted">The first {s.bookings.length} bookings of {s.bookings_total}.</p>}
              <h3>Holds</h3>
              <HoldsThen state={s} />
              <h3>Waitlist</h3>
              <WaitlistThen state={s} />
            </>
          )}
        </section>
      </div>
    </div>
  );
}

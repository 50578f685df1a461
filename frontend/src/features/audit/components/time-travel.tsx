import { useEffect, useState } from 'react';

import { Badge, Empty, ErrorMessage, statusTone } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { dateTime, fromLocalInput, money } from '@/lib/format';

import { useEventState, useHistory, type Moment } from '../api/audit';
import { HistoryTimeline } from './history-timeline';

export function TimeTravel({ eventId }: { eventId: string }) {
  const history = useHistory(eventId);
  const head = history.data?.length ?? 0;
  const [moment, setMoment] = useState<Moment | null>(null);
  const [at, setAt] = useState('');
  useEffect(() => { if (head && moment === null) setMoment({ version: head }); }, [head, moment]);
  const state = useEventState(eventId, moment);

  if (history.isPending) return <Spinner label="Reading the stream" />;
  if (history.isError) return <ErrorMessage error={history.error} onRetry={() => void history.refetch()} />;
  if (head === 0) return <Empty title="This event has no history" />;
  const version = state.data?.version ?? (moment && 'version' in moment ? moment.version : head);
  const s = state.data;

  return (
    <div className="time-travel">
      <section className="card time-travel__controls" aria-label="Time travel">
        <label htmlFor="version-slider" className="slider-label">
          Version <strong data-testid="state-version">{version}</strong> of {head}
        </label>
        <input id="version-slider" type="range" min={1} max={head} step={1} value={version}
          aria-valuetext={`version ${version} of ${head}`}
          onChange={(e) => setMoment({ version: Number(e.target.value) })} />
        <div className="row">
          <button type="button" className="btn btn--ghost btn--small" disabled={version <= 1}
            onClick={() => setMoment({ version: version - 1 })}>◀ Previous</button>
          <button type="button" className="btn btn--ghost btn--small" disabled={version >= head}
            onClick={() => setMoment({ version: version + 1 })}>Next ▶</button>
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
          <HistoryTimeline items={history.data} selected={version} onSelect={(v) => setMoment({ version: v })} />
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
              <p data-testid="state-seats">{s.available_seats} of {s.total_seats} seats left · {s.bookings_confirmed} confirmed of {s.bookings_total} bookings</p>
              <table className="table" aria-label="Categories at this version">
                <thead><tr><th scope="col">Category</th><th scope="col" className="num">Price</th><th scope="col" className="num">Sold</th><th scope="col" className="num">Capacity</th></tr></thead>
                <tbody>
                  {s.categories.map((c) => (
                    <tr key={c.name}><th scope="row">{c.name}</th><td className="num">{money(c.price, s.currency)}</td><td className="num">{c.sold}</td><td className="num">{c.capacity}</td></tr>
                  ))}
                </tbody>
              </table>
              {s.bookings.length > 0 && (
                <ul className="state-bookings" aria-label="Bookings at this version">
                  {s.bookings.map((b) => (
                    <li key={b.id}>
                      {b.user_name}: {b.quantity} × {b.category} <Badge tone={statusTone(b.status)}>{b.status}</Badge>
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </section>
      </div>
    </div>
  );
}

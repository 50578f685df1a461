import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import { Badge, Empty, ErrorMessage, statusTone, statusWord } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { dateTime, fromLocalInput, money } from '@/lib/format';
import { linesOf, linesSummary } from '@/lib/order-lines';
import { personName } from '@/lib/persons';

import { HISTORY_PAGE, useHistory } from '../api/history';
import { useEventState, useHeadVersion, type EventState, type Moment } from '../api/state';
import { HistoryTimeline } from './history-timeline';

/** Where the loaded part of the stream starts: a little before the asked version, else the last page. */
function startFor(asked: number | undefined, head: number): number {
  return asked ? Math.max(0, asked - 20) : Math.max(0, head - HISTORY_PAGE);
}

/** The holds taking seats out of sale at this version: the write side's, replayed. */
function HoldsThen({ state: s }: { state: EventState }) {
  const { t } = useTranslation('audit');
  if (s.holds.length === 0) return <p className="muted" data-testid="state-no-holds">{t('travel.noHolds')}</p>;
  return (
    <TableWrap label={t('travel.holdsTable')}>
    <table className="table" aria-label={t('travel.holdsTable')}>
      <thead><tr><th scope="col">{t('travel.holder')}</th><th scope="col">{t('travel.seats')}</th><th scope="col">{t('travel.expires')}</th></tr></thead>
      <tbody>
        {s.holds.map((h) => (
          <tr key={h.id}>
            <th scope="row">{personName(h.user_name)} <small className="muted"><code>{h.user_id.slice(0, 8)}</code></small></th>
            <td>{linesSummary(h.lines)}{h.offer_for && <> <Badge tone="blue">{t('travel.offer')}</Badge></>}</td>
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
  const { t } = useTranslation('audit');
  if (s.waitlist.length === 0) return <p className="muted" data-testid="state-no-waitlist">{t('travel.noWaitlist')}</p>;
  return (
    <TableWrap label={t('travel.waitlistTable')}>
    <table className="table" aria-label={t('travel.waitlistTable')}>
      <thead><tr><th scope="col" className="num">{t('travel.rank')}</th><th scope="col">{t('travel.category')}</th><th scope="col" className="num">{t('travel.seats')}</th><th scope="col">{t('travel.waiting')}</th></tr></thead>
      <tbody>
        {s.waitlist.map((p) => (
          <tr key={p.id}>
            <td className="num">#{p.rank}</td>
            <td>{p.category}</td>
            <td className="num">{p.quantity}</td>
            <th scope="row">{personName(p.user_name)} <small className="muted"><code>{p.user_id.slice(0, 8)}</code></small></th>
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
  const { t } = useTranslation('audit');
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

  if (headVersion.isPending) return <Spinner label={t('travel.loading')} />;
  if (headVersion.isError) return <ErrorMessage error={headVersion.error} onRetry={() => void headVersion.refetch()} />;
  if (head === 0) return <Empty title={t('travel.noHistory')} />;
  const s = state.data;
  const shown = s?.version ?? version;
  const organizer = s?.organizer_name ? personName(s.organizer_name) : t('travel.adminsOnly');

  return (
    <div className="time-travel">
      <section className="card time-travel__controls" aria-label={t('travel.controls')}>
        <label htmlFor="version-slider" className="slider-label">
          <Trans t={t} i18nKey="travel.version" values={{ shown, head }} components={{ strong: <strong data-testid="state-version" /> }} />
        </label>
        <input id="version-slider" type="range" min={1} max={head} step={1} value={shown}
          aria-valuetext={t('travel.versionText', { shown, head })}
          onChange={(e) => select(Number(e.target.value))} />
        <div className="row">
          <button type="button" className="btn btn--ghost btn--small" disabled={shown <= 1}
            onClick={() => select(shown - 1)}>{t('pager.previous')}</button>
          <button type="button" className="btn btn--ghost btn--small" disabled={shown >= head}
            onClick={() => select(shown + 1)}>{t('pager.next')}</button>
          <form className="row" onSubmit={(e) => { e.preventDefault(); if (at) setMoment({ at: fromLocalInput(at) }); }}>
            <label htmlFor="at-moment">{t('travel.orAt')}</label>
            <input id="at-moment" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
            <button type="submit" className="btn btn--small" disabled={!at}>{t('travel.show')}</button>
          </form>
        </div>
      </section>
      <div className="time-travel__body">
        <section aria-label={t('travel.history')}>
          <h2>{t('travel.history')}</h2>
          {history.isLoading && <Spinner label={t('travel.loadingHistory')} />}
          {history.isError && <ErrorMessage error={history.error} onRetry={() => void history.refetch()} />}
          {history.hasPreviousPage && (
            <button type="button" className="btn btn--ghost btn--small" disabled={history.isFetchingPreviousPage}
              onClick={() => void history.fetchPreviousPage()}>
              {history.isFetchingPreviousPage ? t('common:loadingMore') : t('travel.earlier', { version: loaded[0]?.version ?? '' })}
            </button>
          )}
          {loaded.length > 0 && <HistoryTimeline items={loaded} selected={shown} onSelect={select} />}
          {history.hasNextPage && (
            <button type="button" className="btn btn--ghost btn--small" disabled={history.isFetchingNextPage}
              onClick={() => void history.fetchNextPage()}>
              {history.isFetchingNextPage ? t('common:loadingMore') : t('travel.later')}
            </button>
          )}
        </section>
        <section className="card" aria-label={t('travel.state')} aria-busy={state.isFetching}>
          <h2>{t('travel.asItWas')}</h2>
          {state.isError && <ErrorMessage error={state.error} />}
          {!s && state.isPending && <Spinner label={t('travel.replaying')} />}
          {s && (
            <>
              <p className="muted">{t('travel.versionRecorded', { version: s.version, time: dateTime(s.recorded_at) })}</p>
              <p><strong>{s.name}</strong> <Badge tone={statusTone(s.status)}>{statusWord(s.status)}</Badge></p>
              <p data-testid="state-organizer">
                {(s.co_organizers ?? []).length > 0
                  ? t('travel.organizedByWith', { name: organizer, names: s.co_organizers.map((o) => personName(o.name)).join(', ') })
                  : t('travel.organizedBy', { name: organizer })}
              </p>
              <p data-testid="state-seats">{t('travel.seatsLeft', { available: s.available_seats, total: s.total_seats, confirmed: s.bookings_confirmed, count: s.bookings_total })}</p>
              <TableWrap label={t('travel.categoriesTable')}>
              <table className="table" aria-label={t('travel.categoriesTable')}>
                <thead><tr><th scope="col">{t('travel.category')}</th><th scope="col" className="num">{t('travel.price')}</th><th scope="col" className="num">{t('travel.sold')}</th><th scope="col" className="num">{t('travel.capacity')}</th></tr></thead>
                <tbody>
                  {s.categories.map((c) => (
                    <tr key={c.name}><th scope="row">{c.name}</th><td className="num">{money(c.price, s.currency)}</td><td className="num">{c.sold}</td><td className="num">{c.capacity}</td></tr>
                  ))}
                </tbody>
              </table>
              </TableWrap>
              {s.bookings.length > 0 && (
                <ul className="state-bookings" aria-label={t('travel.bookingsList')}>
                  {s.bookings.map((b) => (
                    <li key={b.id}>
                      {personName(b.user_name)}: {linesSummary(linesOf(b))} <Badge tone={statusTone(b.status)}>{statusWord(b.status)}</Badge>
                    </li>
                  ))}
                </ul>
              )}
              {s.bookings_next_offset !== null && <p className="muted">{t('travel.firstBookings', { shown: s.bookings.length, total: s.bookings_total })}</p>}
              <h3>{t('travel.holds')}</h3>
              <HoldsThen state={s} />
              <h3>{t('travel.waitlist')}</h3>
              <WaitlistThen state={s} />
            </>
          )}
        </section>
      </div>
    </div>
  );
}

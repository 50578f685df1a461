import { useEffect, useState, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';

import { Badge, Empty, ErrorMessage } from '@/components/ui/feedback';
import { Field, SelectField } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { useDebounced } from '@/lib/debounce';
import { dateTime, fromLocalInput, offsetLabel, toLocalInput, viewerZone } from '@/lib/format';

import { nextAfter, streamOf, useFollowLog, useLogPage, type LogEntry, type LogFilters } from '../api/log';
import { labelOf, useEventKinds, type EventKind } from '../api/event-types';
import { describe } from './history-timeline';

/** What a stream is, in words (a key of audit:log.streams): the store's aggregate names are the code's. */
const STREAM_KINDS = new Set(['BookingRef', 'ClaimRef', 'Payment', 'InvoiceBook']);

/** Where an entry links: its event stream's history at that version. */
export function entryLink(e: LogEntry): string | null {
  const stream = streamOf(e);
  if (!stream) return null;
  if (e.aggregate_type && e.aggregate_type !== 'Event') {
    const p = e.payload as { event_id?: unknown };
    return typeof p.event_id === 'string' ? `/audit/events/${p.event_id}` : null;
  }
  return `/audit/events/${stream}?version=${e.version}`;
}

/** A text filter that asks the server once per pause in typing. */
function TypedFilter({ label, value, onCommit, ...input }: {
  label: string; value: string; onCommit: (value: string | undefined) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  const [typed, setTyped] = useState(value);
  const settled = useDebounced(typed.trim(), 400);
  // Only a settled change of what is typed is committed (not a change of `value` from elsewhere).
  useEffect(() => { if (settled !== value) onCommit(settled || undefined); }, [settled]);
  return <Field label={label} value={typed} onChange={(e) => setTyped(e.target.value)} {...input} />;
}

function Entry({ e, fresh, kinds }: { e: LogEntry; fresh?: boolean; kinds?: readonly EventKind[] }) {
  const { t } = useTranslation('audit');
  const to = entryLink(e);
  const stream = streamOf(e);
  return (
    <tr className={fresh ? 'is-fresh' : undefined} data-testid="log-entry">
      <td className="num">{e.position}</td>
      <td className="nowrap">{dateTime(e.recorded_at)}</td>
      <td>{labelOf(e.type, kinds)}</td>
      <td>
        {to ? <Link to={to}><code>{stream.slice(0, 8)}</code> v{e.version}</Link> : <><code>{stream.slice(0, 8)}</code> v{e.version}</>}
        {e.aggregate_type && e.aggregate_type !== 'Event' && (
          <> <Badge>{STREAM_KINDS.has(e.aggregate_type) ? t(`log.streams.${e.aggregate_type}`) : e.aggregate_type}</Badge></>
        )}
      </td>
      <td className="muted">{describe(e)}</td>
    </tr>
  );
}

/** The filters and the position in the address (?event_id=&type=&since=&until=&after=). */
function fromParams(params: URLSearchParams): { filters: LogFilters; after: number } {
  return {
    filters: {
      event_id: params.get('event_id') ?? undefined,
      type: params.get('type') ?? undefined,
      since: params.get('since') ?? undefined,
      until: params.get('until') ?? undefined,
    },
    after: Math.max(0, Number(params.get('after')) || 0),
  };
}

/**
 * The global audit log, paged by position, filtered by event, type and time; "Follow" polls
 * for entries after the last one every 2 s. Each entry links to its stream's history there.
 */
export function AuditLog() {
  const { t } = useTranslation('audit');
  const [params, setParams] = useSearchParams();
  const { filters, after } = fromParams(params);
  const [trail, setTrail] = useState<number[]>([]); // the positions earlier pages started after
  const [follow, setFollow] = useState(false);
  const page = useLogPage(filters, after);
  const kinds = useEventKinds().data;
  // The server's kinds, and the one the address asks for while they load.
  const types = [...new Set([...(kinds ?? []).map((k) => k.type), ...(filters.type ? [filters.type] : [])])];
  const items = page.data?.items ?? [];
  const last = items.at(-1)?.position ?? after;
  const live = useFollowLog(filters, last, follow && page.isSuccess);

  const set = (changes: Record<string, string | undefined>, keepPosition = false) => {
    const next = new URLSearchParams(params);
    Object.entries(changes).forEach(([k, v]) => (v ? next.set(k, v) : next.delete(k)));
    if (!keepPosition) { next.delete('after'); setTrail([]); }
    setParams(next, { replace: true });
  };
  const goTo = (position: number, back = false) => {
    if (!back) setTrail((t) => [...t, after]);
    set({ after: position ? String(position) : undefined }, true);
  };
  const yours = t('log.yours', { offset: offsetLabel(new Date(), viewerZone()) }); // the fields read the browser's clock
  const toIso = (local: string) => (local ? fromLocalInput(local) : undefined);
  const toLocal = (iso?: string | null) => (iso ? toLocalInput(new Date(iso)) : '');

  return (
    <div>
      <form className="filters filters--log" aria-label={t('log.filter')} onSubmit={(e) => e.preventDefault()}>
        <TypedFilter label={t('log.eventId')} value={filters.event_id ?? ''} placeholder={t('log.anyEvent')} spellCheck={false}
          onCommit={(v) => set({ event_id: v })} />
        <SelectField label={t('log.type')} value={filters.type ?? ''} onChange={(e) => set({ type: e.target.value || undefined })}>
          <option value="">{t('log.anyType')}</option>
          {types.map((type) => <option key={type} value={type}>{labelOf(type, kinds)} ({type})</option>)}
        </SelectField>
        <Field label={t('log.since')} type="datetime-local" hint={yours} value={toLocal(filters.since)} onChange={(e) => set({ since: toIso(e.target.value) })} />
        <Field label={t('log.until')} type="datetime-local" hint={yours} value={toLocal(filters.until)} onChange={(e) => set({ until: toIso(e.target.value) })} />
      </form>
      <div className="row log__bar">
        <button type="button" className="btn btn--ghost btn--small" disabled={after === 0} onClick={() => { setTrail([]); set({ after: undefined }, true); }}>{t('pager.first')}</button>
        <button type="button" className="btn btn--ghost btn--small" disabled={trail.length === 0}
          onClick={() => { const back = trail.at(-1) ?? 0; setTrail((t) => t.slice(0, -1)); goTo(back, true); }}>{t('pager.previous')}</button>
        <button type="button" className="btn btn--ghost btn--small" disabled={!page.data || page.isPlaceholderData || follow || nextAfter(page.data, after) <= after}
          onClick={() => page.data && goTo(nextAfter(page.data, after))}>{t('pager.next')}</button>
        <span className="muted">
          {items.length ? t('log.positions', { from: items[0].position, to: last }) : t('log.after', { position: after })}
          {page.data ? ` · ${t('log.head', { head: page.data.head })}` : ''}
        </span>
        <span className="nav__spacer" />
        <label className="switch">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          {t('log.follow')}
        </label>
      </div>
      {follow && (
        <p className="muted" role="status">
          {live.entries.length ? t('log.followingNew', { count: live.entries.length }) : t('log.following')}
        </p>
      )}
      {live.error ? <ErrorMessage error={live.error} title={t('log.followStopped')} /> : null}
      {page.isPending && <Spinner label={t('log.loading')} />}
      {page.isError && <ErrorMessage error={page.error} title={t('log.error')} onRetry={() => void page.refetch()} />}
      {page.isSuccess && items.length === 0 && live.entries.length === 0 && (
        <Empty title={t('log.none')}><p className="muted">{after ? t('log.noneAfter') : t('log.noneFilters')}</p></Empty>
      )}
      {(items.length > 0 || live.entries.length > 0) && (
        <TableWrap label={t('log.table')}>
          <table className="table" aria-label={t('log.table')} aria-busy={page.isFetching}>
            <thead>
              <tr>
                <th scope="col" className="num">{t('log.position')}</th><th scope="col">{t('log.recorded')}</th><th scope="col">{t('log.typeCol')}</th>
                <th scope="col">{t('log.stream')}</th><th scope="col">{t('log.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => <Entry key={e.position} e={e} kinds={kinds} />)}
              {live.entries.map((e) => <Entry key={`live-${e.position}`} e={e} kinds={kinds} fresh />)}
            </tbody>
          </table>
        </TableWrap>
      )}
    </div>
  );
}

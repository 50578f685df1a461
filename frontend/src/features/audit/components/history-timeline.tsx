import { dateTime } from '@/lib/format';
import type { StoredEvent } from '@/types/api';

import { labelOf, useEventKinds } from '../api/event-types';

/** What ended a booking, as its `reason` code says (anything else is the words someone gave). */
const REASON_CODES: Record<string, string> = {
  customer: 'by the customer', organizer: 'by the organizer', admin: 'by an admin', event_cancelled: 'the event was cancelled',
};

/** Audit views show a ticket code as its digest ("sha256:" + 64 hex): its first hex digits tell tickets apart. */
export function shortDigest(code: string, hex = 12): string {
  return code.startsWith('sha256:') ? `${code.slice(0, 7 + hex)}…` : code;
}

export function describe(e: Pick<StoredEvent, 'type' | 'payload'>): string {
  const p = e.payload as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof p.user_name === 'string') parts.push(p.user_name);
  if (p.quantity !== undefined) parts.push(`${String(p.quantity)} × ${String(p.category ?? '')}`.trim());
  if (typeof p.code === 'string') parts.push(`ticket ${shortDigest(p.code)}`);
  const created = e.type === 'Created';
  if (typeof p.name === 'string' && created) parts.push(p.name);
  if (created && typeof p.organizer_name === 'string') parts.push(`by ${p.organizer_name}`);
  if (e.type === 'OrganizerTransferred' && typeof p.organizer_name === 'string') parts.push(`to ${p.organizer_name}`);
  if (typeof p.hold_id === 'string' && e.type === 'SeatsBooked') parts.push(`hold ${p.hold_id.slice(0, 8)} confirmed`);
  if (typeof p.offer_for === 'string' && e.type === 'SeatsHeld') parts.push('offered to the waitlist');
  if (typeof p.reason === 'string' && p.reason) parts.push(REASON_CODES[p.reason.toLowerCase()] ?? `“${p.reason}”`);
  if (typeof p.stated_reason === 'string' && p.stated_reason) parts.push(`“${p.stated_reason}”`);
  return parts.join(' · ');
}


export function HistoryTimeline({ items, selected, onSelect }: { items: StoredEvent[]; selected: number; onSelect: (v: number) => void }) {
  const kinds = useEventKinds().data;
  return (
    <ol className="timeline" aria-label="Event history">
      {items.map((e) => (
        <li key={e.version} className={`timeline__item ${e.version === selected ? 'is-selected' : ''} ${e.version > selected ? 'is-future' : ''}`}>
          <button type="button" onClick={() => onSelect(e.version)} aria-current={e.version === selected ? 'step' : undefined}>
            <span className="timeline__dot" aria-hidden="true" />
            <span className="timeline__type">v{e.version} · {labelOf(e.type, kinds)}</span>
            <span className="timeline__meta">{dateTime(e.recorded_at)} · position {e.position}</span>
            {describe(e) && <span className="timeline__detail">{describe(e)}</span>}
          </button>
        </li>
      ))}
    </ol>
  );
}

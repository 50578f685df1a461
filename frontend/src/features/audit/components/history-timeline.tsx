import { useTranslation } from 'react-i18next';

import { dateTime } from '@/lib/format';
import { i18n } from '@/lib/i18n';
import { personName } from '@/lib/persons';
import type { StoredEvent } from '@/types/api';

import { labelOf, useEventKinds } from '../api/event-types';

/** What ended a booking, as its `reason` code says (a key of audit:history.reason; anything else is the words someone
 * gave). */
const REASON_CODES = new Set(['customer', 'organizer', 'admin', 'event_cancelled']);

/** Words someone typed, quoted as the UI's language quotes. */
export const quoted = (text: string): string => i18n.t('audit:quoted', { text });

/** Audit views show a ticket code as its digest ("sha256:" + 64 hex): its first hex digits tell tickets apart. */
export function shortDigest(code: string, hex = 12): string {
  return code.startsWith('sha256:') ? `${code.slice(0, 7 + hex)}…` : code;
}

export function describe(e: Pick<StoredEvent, 'type' | 'payload'>): string {
  const p = e.payload as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof p.user_name === 'string') parts.push(personName(p.user_name));
  if (p.quantity !== undefined) parts.push(`${String(p.quantity)} × ${String(p.category ?? '')}`.trim());
  if (typeof p.code === 'string') parts.push(i18n.t('audit:history.ticket', { code: shortDigest(p.code) }));
  const created = e.type === 'Created';
  if (typeof p.name === 'string' && created) parts.push(p.name);
  if (created && typeof p.organizer_name === 'string') parts.push(i18n.t('audit:history.by', { name: personName(p.organizer_name) }));
  if (e.type === 'OrganizerTransferred' && typeof p.organizer_name === 'string') {
    parts.push(i18n.t('audit:history.to', { name: personName(p.organizer_name) }));
  }
  if (typeof p.hold_id === 'string' && e.type === 'SeatsBooked') parts.push(i18n.t('audit:history.holdConfirmed', { hold: p.hold_id.slice(0, 8) }));
  if (typeof p.offer_for === 'string' && e.type === 'SeatsHeld') parts.push(i18n.t('audit:history.offered'));
  if (typeof p.reason === 'string' && p.reason) {
    const code = p.reason.toLowerCase();
    parts.push(REASON_CODES.has(code) ? i18n.t(`audit:history.reason.${code}`) : quoted(p.reason));
  }
  if (typeof p.stated_reason === 'string' && p.stated_reason) parts.push(quoted(p.stated_reason));
  return parts.join(' · ');
}


export function HistoryTimeline({ items, selected, onSelect }: { items: StoredEvent[]; selected: number; onSelect: (v: number) => void }) {
  const { t } = useTranslation('audit');
  const kinds = useEventKinds().data;
  return (
    <ol className="timeline" aria-label={t('history.list')}>
      {items.map((e) => (
        <li key={e.version} className={`timeline__item ${e.version === selected ? 'is-selected' : ''} ${e.version > selected ? 'is-future' : ''}`}>
          <button type="button" onClick={() => onSelect(e.version)} aria-current={e.version === selected ? 'step' : undefined}>
            <span className="timeline__dot" aria-hidden="true" />
            <span className="timeline__type">v{e.version} · {labelOf(e.type, kinds)}</span>
            <span className="timeline__meta">{t('history.meta', { time: dateTime(e.recorded_at), position: e.position })}</span>
            {describe(e) && <span className="timeline__detail">{describe(e)}</span>}
          </button>
        </li>
      ))}
    </ol>
  );
}

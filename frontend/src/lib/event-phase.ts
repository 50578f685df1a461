import { useEffect, useState } from 'react';

import type { LedgerEvent } from '@/types/api';

import { i18n } from './i18n';
import { serverNow } from './server-clock';

/** Where an event is in its life, as a customer sees it (by the server's clock: it is the server that closes booking). */
export type EventPhase = 'on-sale' | 'started' | 'ended' | 'cancelled';

type Timed = Pick<LedgerEvent, 'status' | 'starts_at' | 'ends_at'>;

export function eventPhase(event: Timed, now: Date = new Date(serverNow())): EventPhase {
  if (event.status === 'cancelled') return 'cancelled';
  if (event.status === 'completed') return 'ended';
  if (new Date(event.starts_at) > now) return 'on-sale';
  return event.ends_at && new Date(event.ends_at) <= now ? 'ended' : 'started';
}

/** Why an event cannot be booked, or null while it is on sale. */
export function closedReason(phase: EventPhase): string | null {
  switch (phase) {
    case 'cancelled': return i18n.t('events:closed.cancelled');
    case 'ended': return i18n.t('events:closed.ended');
    case 'started': return i18n.t('events:closed.started');
    default: return null;
  }
}

/** `eventPhase` kept current: the page redraws when the event starts or ends, not only when
 * something else changes (a page left open must close its booking form at the start). */
export function useEventPhase(event: Timed | undefined): EventPhase | undefined {
  const [now, setNow] = useState(() => new Date(serverNow()));
  const startsAt = event?.starts_at;
  const endsAt = event?.ends_at;
  useEffect(() => {
    const ahead = [startsAt, endsAt]
      .map((t) => (t ? new Date(t).getTime() : Number.NaN))
      .filter((t) => t > now.getTime());
    if (ahead.length === 0) return undefined;
    // setTimeout holds at most 2^31 - 1 ms; a later boundary is waited for in steps.
    const wait = Math.min(Math.min(...ahead) - serverNow() + 50, 2 ** 31 - 1);
    const timer = setTimeout(() => setNow(new Date(serverNow())), Math.max(0, wait));
    return () => clearTimeout(timer);
  }, [startsAt, endsAt, now]);
  return event ? eventPhase(event, now) : undefined;
}

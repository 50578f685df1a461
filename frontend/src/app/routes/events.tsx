import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

import type { EventFilters } from '@/features/events/api/get-events';
import { EventFiltersBar } from '@/features/events/components/event-filters';
import { EventList } from '@/features/events/components/event-list';
import type { EventStatus } from '@/types/api';

export function EventsRoute() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo<EventFilters>(() => ({
    q: params.get('q') ?? undefined,
    startsAfter: params.get('from') ?? undefined,
    startsBefore: params.get('to') ?? undefined,
    status: (params.get('status') as EventStatus | null) ?? 'active',
  }), [params]);
  const change = useCallback((f: EventFilters) => {
    const next = new URLSearchParams();
    if (f.q) next.set('q', f.q);
    if (f.startsAfter) next.set('from', f.startsAfter);
    if (f.startsBefore) next.set('to', f.startsBefore);
    next.set('status', f.status ?? '');
    setParams(next, { replace: true });
  }, [setParams]);

  return (
    <>
      <section className="hero">
        <h1>Find your next night out</h1>
        <p>Seats update live as people book. Every ticket is recorded in an auditable ledger.</p>
      </section>
      <EventFiltersBar value={filters} onChange={change} />
      <EventList filters={filters} />
    </>
  );
}

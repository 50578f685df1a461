import { useTranslation } from 'react-i18next';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

import { EVENT_VIEWS, type EventFilters, type EventView } from '@/features/events/api/get-events';
import { EventFiltersBar } from '@/features/events/components/event-filters';
import { EventList } from '@/features/events/components/event-list';

export function EventsRoute() {
  const [params, setParams] = useSearchParams();
  const { t } = useTranslation('events');
  const filters = useMemo<EventFilters>(() => {
    const view = params.get('view') as EventView | null;
    return {
      q: params.get('q') ?? undefined,
      startsAfter: params.get('from') ?? undefined,
      startsBefore: params.get('to') ?? undefined,
      view: view && EVENT_VIEWS.some((v) => v.value === view) ? view : 'on-sale',
    };
  }, [params]);
  const change = useCallback((f: EventFilters) => {
    const next = new URLSearchParams();
    if (f.q) next.set('q', f.q);
    if (f.startsAfter) next.set('from', f.startsAfter);
    if (f.startsBefore) next.set('to', f.startsBefore);
    if (f.view && f.view !== 'on-sale') next.set('view', f.view);
    setParams(next, { replace: true });
  }, [setParams]);

  return (
    <>
      <section className="hero">
        <h1>{t('hero.title')}</h1>
        <p>{t('hero.body')}</p>
      </section>
      <EventFiltersBar value={filters} onChange={change} />
      <EventList filters={filters} />
    </>
  );
}

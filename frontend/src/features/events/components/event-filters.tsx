import { useEffect, useState } from 'react';

import { Field } from '@/components/ui/field';

import { EVENT_VIEWS, type EventFilters } from '../api/get-events';

export function EventFiltersBar({ value, onChange }: { value: EventFilters; onChange: (f: EventFilters) => void }) {
  const [q, setQ] = useState(value.q ?? '');
  useEffect(() => {
    const timer = setTimeout(() => { if (q !== (value.q ?? '')) onChange({ ...value, q }); }, 300);
    return () => clearTimeout(timer);
  }, [q, value, onChange]);
  const view = value.view ?? 'on-sale';

  return (
    <form className="filters" role="search" aria-label="Find events" onSubmit={(e) => { e.preventDefault(); onChange({ ...value, q }); }}>
      <Field className="filters__q" label="Search" type="search" placeholder="Event name or venue" value={q}
        onChange={(e) => setQ(e.target.value)} />
      <Field label="From" type="date" value={value.startsAfter?.slice(0, 10) ?? ''}
        onChange={(e) => onChange({ ...value, startsAfter: e.target.value ? `${e.target.value}T00:00:00Z` : undefined })} />
      <Field label="To" type="date" value={value.startsBefore?.slice(0, 10) ?? ''}
        onChange={(e) => onChange({ ...value, startsBefore: e.target.value ? `${e.target.value}T23:59:59Z` : undefined })} />
      <div className="field">
        <span className="field__label" id="view-label">Show</span>
        <div className="segmented" role="group" aria-labelledby="view-label">
          {EVENT_VIEWS.map((v) => (
            <button key={v.value} type="button" aria-pressed={view === v.value} onClick={() => onChange({ ...value, view: v.value })}>
              {v.label}
            </button>
          ))}
        </div>
      </div>
    </form>
  );
}

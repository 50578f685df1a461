import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('events');

  return (
    <form className="filters" role="search" aria-label={t('filters.find')} onSubmit={(e) => { e.preventDefault(); onChange({ ...value, q }); }}>
      <Field className="filters__q" label={t('filters.search')} type="search" placeholder={t('filters.searchHint')} value={q}
        onChange={(e) => setQ(e.target.value)} />
      <Field label={t('filters.from')} type="date" value={value.startsAfter?.slice(0, 10) ?? ''}
        onChange={(e) => onChange({ ...value, startsAfter: e.target.value ? `${e.target.value}T00:00:00Z` : undefined })} />
      <Field label={t('filters.to')} type="date" value={value.startsBefore?.slice(0, 10) ?? ''}
        onChange={(e) => onChange({ ...value, startsBefore: e.target.value ? `${e.target.value}T23:59:59Z` : undefined })} />
      <div className="field">
        <span className="field__label" id="view-label">{t('filters.show')}</span>
        <div className="segmented" role="group" aria-labelledby="view-label">
          {EVENT_VIEWS.map((v) => (
            <button key={v.value} type="button" aria-pressed={view === v.value} onClick={() => onChange({ ...value, view: v.value })}>
              {t(v.label)}
            </button>
          ))}
        </div>
      </div>
    </form>
  );
}

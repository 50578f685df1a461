import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Field, SelectField } from '@/components/ui/field';
import { useDebounced } from '@/lib/debounce';

import { useOrganizerSearch } from './search-organizers';

interface PickerProps {
  label: string;
  /** The search field's label (default: "Search" and the label, as English writes it). */
  searchLabel?: string;
  /** Accounts not to offer (who runs the event already). */
  exclude: Set<string>;
  /** The chosen account ('' for none): the first match until another is picked. */
  value: string;
  onChange: (organizerId: string) => void;
}

/** Pick an organizer account by name, searched on the server (the first matches of a page). */
export function OrganizerPicker({ label, searchLabel, exclude, value, onChange }: PickerProps) {
  const { t } = useTranslation('organizer');
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim());
  const found = useOrganizerSearch(q);
  const candidates = (found.data?.items ?? []).filter((o) => !exclude.has(o.id));
  const chosen = candidates.some((o) => o.id === value) ? value : candidates[0]?.id ?? '';
  useEffect(() => { if (chosen !== value) onChange(chosen); }, [chosen, value, onChange]);
  return (
    <>
      <Field label={searchLabel ?? t('picker.search', { label: label.toLowerCase() })} type="search" value={typed} placeholder={t('picker.placeholder')}
        onChange={(e) => setTyped(e.target.value)} />
      {candidates.length === 0 ? (
        <p className="muted" role="status">{found.isPending ? t('picker.searching') : q ? t('picker.none', { q }) : t('picker.noOther')}</p>
      ) : (
        <SelectField label={label} value={chosen} onChange={(e) => onChange(e.target.value)}>
          {candidates.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </SelectField>
      )}
      {found.data?.next_cursor && <small className="field__hint">{t('picker.more')}</small>}
    </>
  );
}

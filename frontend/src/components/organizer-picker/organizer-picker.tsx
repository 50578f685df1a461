import { useEffect, useState } from 'react';

import { Field, SelectField } from '@/components/ui/field';
import { useDebounced } from '@/lib/debounce';

import { useOrganizerSearch } from './search-organizers';

interface PickerProps {
  label: string;
  /** Accounts not to offer (who runs the event already). */
  exclude: Set<string>;
  /** The chosen account ('' for none): the first match until another is picked. */
  value: string;
  onChange: (organizerId: string) => void;
}

/** Pick an organizer account by name, searched on the server (the first matches of a page). */
export function OrganizerPicker({ label, exclude, value, onChange }: PickerProps) {
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim());
  const found = useOrganizerSearch(q);
  const candidates = (found.data?.items ?? []).filter((o) => !exclude.has(o.id));
  const chosen = candidates.some((o) => o.id === value) ? value : candidates[0]?.id ?? '';
  useEffect(() => { if (chosen !== value) onChange(chosen); }, [chosen, value, onChange]);
  return (
    <>
      <Field label={`Search ${label.toLowerCase()}`} type="search" value={typed} placeholder="Start of a name"
        onChange={(e) => setTyped(e.target.value)} />
      {candidates.length === 0 ? (
        <p className="muted" role="status">{found.isPending ? 'Searching…' : q ? `No organizer named “${q}…”` : 'No other organizer yet: an admin grants the role on the Organizers page.'}</p>
      ) : (
        <SelectField label={label} value={chosen} onChange={(e) => onChange(e.target.value)}>
          {candidates.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </SelectField>
      )}
      {found.data?.next_cursor && <small className="field__hint">More match: type more of the name.</small>}
    </>
  );
}

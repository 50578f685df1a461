import { useEffect, useId, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { timeZones } from '@/lib/format';
import { findZones } from '@/lib/time-zones';

interface Props {
  label: string;
  /** The zone chosen (an IANA name), or the text typed while none is. */
  value: string;
  onChange: (zone: string) => void;
  error?: string;
  hint?: ReactNode;
}

/**
 * A combobox that finds a time zone by city, country or IANA name, each match with its offset now. Up and down
 * move through the matches, Enter picks one, Escape closes the list; a status line says how many match.
 */
export function TimeZonePicker({ label, value, onChange, error, hint }: Props) {
  const { t } = useTranslation('organizer');
  const id = useId();
  const [text, setText] = useState(value);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const matches = useMemo(() => (open ? findZones(text) : []), [open, text]);
  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-option-${i}`;
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;

  useEffect(() => {
    if (open) document.getElementById(optionId(active))?.scrollIntoView?.({ block: 'nearest' }); // the active one in sight
  }, [open, active]);

  const pick = (zone: string) => {
    setText(zone);
    setOpen(false);
    onChange(zone);
  };
  // Left with a place that finds one zone ("Poland"), the field takes that zone; with several, the list is asked.
  const leave = () => {
    setOpen(false);
    if (timeZones().includes(text)) return;
    const found = findZones(text);
    if (found.length === 1) pick(found[0].zone);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      if (!open) { setOpen(true); setActive(0); return; }
      setActive((i) => Math.min(Math.max(i + step, 0), Math.max(matches.length - 1, 0)));
    } else if (e.key === 'Enter' && open && matches[active]) {
      e.preventDefault(); // picks the zone, does not send the form
      pick(matches[active].zone);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
    }
  };
  const count = !open ? '' : matches.length === 0
    ? t('zonePicker.none', { text })
    : t('zonePicker.matches', { count: matches.length });

  return (
    <div className="field zone-picker">
      <label htmlFor={id}>{label}</label>
      <input id={id} role="combobox" aria-autocomplete="list" aria-expanded={open} aria-controls={listId}
        aria-activedescendant={open && matches[active] ? optionId(active) : undefined}
        aria-invalid={!!error} aria-describedby={describedBy} autoComplete="off" spellCheck={false}
        placeholder={t('zonePicker.placeholder')} value={text}
        onChange={(e) => { setText(e.target.value); setActive(0); setOpen(true); onChange(e.target.value); }}
        onFocus={(e) => e.target.select()} onClick={() => setOpen(true)} onKeyDown={onKeyDown} onBlur={leave} />
      <ul id={listId} role="listbox" aria-label={t('zonePicker.list', { label })} className="zone-picker__list" hidden={!open || matches.length === 0}>
        {matches.map((m, i) => (
          <li key={m.zone} id={optionId(i)} role="option" aria-selected={i === active}
            className={`zone-picker__option${i === active ? ' zone-picker__option--active' : ''}`}
            onMouseDown={(e) => e.preventDefault()} onMouseEnter={() => setActive(i)} onClick={() => pick(m.zone)}>
            <span>{m.place}</span> <span className="muted">{m.zone}</span> <span className="zone-picker__offset">{m.offset}</span>
          </li>
        ))}
      </ul>
      <span id={`${id}-count`} className="sr-only" role="status" aria-live="polite">{count}</span>
      {hint && !error && <small id={`${id}-hint`} className="field__hint">{hint}</small>}
      {error && <small id={`${id}-error`} className="field__error">{error}</small>}
    </div>
  );
}

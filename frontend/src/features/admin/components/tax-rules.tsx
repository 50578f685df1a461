import { useEffect, useId, useRef, useState } from 'react';

import { Field } from '@/components/ui/field';
import { money } from '@/lib/format';
import { priceTaxWords } from '@/lib/taxes';

import { MAX_TAXES, newTaxRow, TAX_NAME_LENGTH, taxRate, type TaxRow } from './tax-terms';

interface Props {
  rows: TaxRow[];
  /** The form's categories as they are named now, with their price as typed. */
  categories: { name: string; price: string }[];
  currency: string;
  errors: Record<string, string>;
  /** The rules changed; `row`: the one edited (its errors go), none when one was added or removed (all go). */
  onChange: (rows: TaxRow[], row?: number) => void;
  /** An event that exists: a change applies to tickets sold from now on. */
  editing: boolean;
}

/** How buyers will read the rule beside a category's price: "General €40.00 incl. 20 % VAT"; null until it can say. */
function preview(row: TaxRow, categories: Props['categories'], currency: string): string | null {
  const rate = taxRate(row.rate);
  const first = categories.find((c) => row.categories.includes(c.name));
  if (!row.name.trim() || rate === undefined || !first) return null;
  const price = /^\d+(\.\d{1,2})?$/.test(first.price.trim()) ? `${money(first.price, currency)} ` : '';
  return `${first.name} ${price}${priceTaxWords({ name: row.name.trim(), rate, inclusive: row.inclusive })}`;
}

/** The event's tax rules: each a name, a rate, whether the prices include it, and the categories it applies to (a
 * category in one rule at most); up to ten. */
export function TaxRules({ rows, categories, currency, errors, onChange, editing }: Props) {
  const id = useId();
  // A rule added takes the focus to its name; one removed gives it to "Add a tax" (keyboard users keep their place).
  const [added, setAdded] = useState<number | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const [removed, setRemoved] = useState(0);
  useEffect(() => { if (removed > 0) addButton.current?.focus(); }, [removed]);
  // Each named category once (two of one name are the categories' own error, said there).
  const named = categories.filter((c, i) => c.name !== '' && categories.findIndex((d) => d.name === c.name) === i);
  const change = (i: number, patch: Partial<TaxRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)), i);
  const tick = (i: number, category: string, on: boolean) => {
    const now = rows[i].categories.filter((c) => c !== category);
    change(i, { categories: on ? named.map((c) => c.name).filter((c) => c === category || now.includes(c)) : now });
  };

  return (
    <fieldset className="taxes" aria-describedby={`${id}-about`}>
      <legend>Taxes</legend>
      <p id={`${id}-about`} className="field__hint taxes__about">
        Buyers see each tax beside the price, at checkout and in their bookings.
        {editing && ' A change applies to tickets sold from now on; tickets sold keep their tax.'}
      </p>
      {rows.length === 0 && <p className="muted taxes__none" data-testid="no-taxes">No taxes: buyers pay the prices above.</p>}
      {errors.taxes && <p className="field__error">{errors.taxes}</p>}
      {rows.map((row, i) => {
        const rowId = `${id}-${i}`;
        const categoriesError = errors[`taxes.${i}.categories`];
        const shown = preview(row, named, currency);
        return (
          <fieldset className="tax-row" key={i} data-testid="tax-row">
            <legend className="tax-row__title">Tax {i + 1}{row.name.trim() ? `: ${row.name.trim()}` : ''}</legend>
            <div className="tax-row__fields">
              <Field label="Tax name" value={row.name} error={errors[`taxes.${i}.name`]} maxLength={TAX_NAME_LENGTH}
                placeholder="VAT" autoFocus={added === i} hint="As buyers read it, e.g. VAT or sales tax" onChange={(e) => change(i, { name: e.target.value })} />
              <Field label="Rate (%)" inputMode="decimal" value={row.rate} error={errors[`taxes.${i}.rate`]} placeholder="20"
                hint="0 to 100, e.g. 20 or 8.875" onChange={(e) => change(i, { rate: e.target.value })} />
            </div>
            <div className="tax-row__inclusive">
              <label className="choices__choice" htmlFor={`${rowId}-inclusive`}>
                <input type="checkbox" id={`${rowId}-inclusive`} checked={row.inclusive} aria-describedby={`${rowId}-inclusive-hint`}
                  onChange={(e) => change(i, { inclusive: e.target.checked })} />
                {' '}Prices include this tax
              </label>
              <small id={`${rowId}-inclusive-hint`} className="field__hint">
                {row.inclusive
                  ? 'Buyers pay the price shown; the tax is part of it (as VAT in most countries).'
                  : 'Added to the price at checkout (as US sales tax).'}
              </small>
            </div>
            <fieldset className="choices" aria-describedby={categoriesError ? `${rowId}-categories-error` : undefined}>
              <legend>Applies to</legend>
              {named.map((c) => (
                <label key={c.name} className="choices__choice" htmlFor={`${rowId}-category-${c.name}`}>
                  <input type="checkbox" id={`${rowId}-category-${c.name}`} checked={row.categories.includes(c.name)}
                    aria-invalid={!!categoriesError} onChange={(e) => tick(i, c.name, e.target.checked)} />
                  {' '}{c.name}
                </label>
              ))}
              {named.length === 0 && <small className="field__hint choices__note">Name a ticket category above first.</small>}
              {categoriesError && <small id={`${rowId}-categories-error`} className="field__error choices__note">{categoriesError}</small>}
            </fieldset>
            <div className="tax-row__foot">
              {shown && <small className="muted" data-testid="tax-preview">Buyers read: {shown}</small>}
              <button type="button" className="btn btn--ghost btn--small"
                aria-label={`Remove tax ${row.name.trim() || i + 1}`} onClick={() => { setAdded(null); setRemoved((n) => n + 1); onChange(rows.filter((_, j) => j !== i)); }}>
                Remove
              </button>
            </div>
          </fieldset>
        );
      })}
      {rows.length < MAX_TAXES ? (
        <button type="button" className="btn btn--ghost btn--small" ref={addButton}
          onClick={() => { setAdded(rows.length); onChange([...rows, newTaxRow(rows, named.map((c) => c.name))]); }}>
          + Add a tax
        </button>
      ) : (
        <small className="field__hint">At most {MAX_TAXES} taxes.</small>
      )}
    </fieldset>
  );
}

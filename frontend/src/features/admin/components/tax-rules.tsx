import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

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
  const { t } = useTranslation('organizer');
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
      <legend>{t('taxes.title')}</legend>
      <p id={`${id}-about`} className="field__hint taxes__about">
        {t('taxes.about')}
        {editing && ` ${t('taxes.aboutEditing')}`}
      </p>
      {rows.length === 0 && <p className="muted taxes__none" data-testid="no-taxes">{t('taxes.none')}</p>}
      {errors.taxes && <p className="field__error">{errors.taxes}</p>}
      {rows.map((row, i) => {
        const rowId = `${id}-${i}`;
        const categoriesError = errors[`taxes.${i}.categories`];
        const shown = preview(row, named, currency);
        return (
          <fieldset className="tax-row" key={i} data-testid="tax-row">
            <legend className="tax-row__title">{row.name.trim() ? t('taxes.rowNamed', { n: i + 1, name: row.name.trim() }) : t('taxes.row', { n: i + 1 })}</legend>
            <div className="tax-row__fields">
              <Field label={t('taxes.name')} value={row.name} error={errors[`taxes.${i}.name`]} maxLength={TAX_NAME_LENGTH}
                placeholder={t('taxes.namePlaceholder')} autoFocus={added === i} hint={t('taxes.nameHint')} onChange={(e) => change(i, { name: e.target.value })} />
              <Field label={t('taxes.rate')} inputMode="decimal" value={row.rate} error={errors[`taxes.${i}.rate`]} placeholder="20"
                hint={t('taxes.rateHint')} onChange={(e) => change(i, { rate: e.target.value })} />
            </div>
            <div className="tax-row__inclusive">
              <label className="choices__choice" htmlFor={`${rowId}-inclusive`}>
                <input type="checkbox" id={`${rowId}-inclusive`} checked={row.inclusive} aria-describedby={`${rowId}-inclusive-hint`}
                  onChange={(e) => change(i, { inclusive: e.target.checked })} />
                {' '}{t('taxes.inclusive')}
              </label>
              <small id={`${rowId}-inclusive-hint`} className="field__hint">
                {row.inclusive
                  ? t('taxes.inclusiveHint')
                  : t('taxes.exclusiveHint')}
              </small>
            </div>
            <fieldset className="choices" aria-describedby={categoriesError ? `${rowId}-categories-error` : undefined}>
              <legend>{t('taxes.appliesTo')}</legend>
              {named.map((c) => (
                <label key={c.name} className="choices__choice" htmlFor={`${rowId}-category-${c.name}`}>
                  <input type="checkbox" id={`${rowId}-category-${c.name}`} checked={row.categories.includes(c.name)}
                    aria-invalid={!!categoriesError} onChange={(e) => tick(i, c.name, e.target.checked)} />
                  {' '}{c.name}
                </label>
              ))}
              {named.length === 0 && <small className="field__hint choices__note">{t('taxes.nameCategoryFirst')}</small>}
              {categoriesError && <small id={`${rowId}-categories-error`} className="field__error choices__note">{categoriesError}</small>}
            </fieldset>
            <div className="tax-row__foot">
              {shown && <small className="muted" data-testid="tax-preview">{t('taxes.preview', { text: shown })}</small>}
              <button type="button" className="btn btn--ghost btn--small"
                aria-label={t('taxes.remove', { name: row.name.trim() || i + 1 })} onClick={() => { setAdded(null); setRemoved((n) => n + 1); onChange(rows.filter((_, j) => j !== i)); }}>
                {t('eventForm.remove')}
              </button>
            </div>
          </fieldset>
        );
      })}
      {rows.length < MAX_TAXES ? (
        <button type="button" className="btn btn--ghost btn--small" ref={addButton}
          onClick={() => { setAdded(rows.length); onChange([...rows, newTaxRow(rows, named.map((c) => c.name))]); }}>
          {t('taxes.add')}
        </button>
      ) : (
        <small className="field__hint">{t('taxes.atMost', { count: MAX_TAXES })}</small>
      )}
    </fieldset>
  );
}

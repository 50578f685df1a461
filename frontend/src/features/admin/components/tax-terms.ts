import { i18n } from '@/lib/i18n';
import type { LedgerEvent, Schemas } from '@/types/api';

export type TaxRuleInput = Schemas['TaxRuleIn'];

/** One tax rule as the event form's inputs hold it: text before it is checked; its categories by name. */
export interface TaxRow { name: string; rate: string; inclusive: boolean; categories: string[] }

// The API's bounds (query_api/schemas/events.py, commands/domain/taxes.py).
export const MAX_TAXES = 10;
export const TAX_NAME_LENGTH = 40;

/** The event's rules as rows (none for a new event). */
export function taxRows(event?: LedgerEvent): TaxRow[] {
  return (event?.taxes ?? []).map((t) => ({ name: t.name, rate: t.rate, inclusive: t.inclusive, categories: [...t.categories] }));
}

/** A new rule: included in the prices (as VAT is in most countries), on every category no other rule taxes. */
export function newTaxRow(rows: readonly TaxRow[], categories: readonly string[]): TaxRow {
  const taxed = new Set(rows.flatMap((r) => r.categories));
  return { name: '', rate: '', inclusive: true, categories: categories.filter((c) => !taxed.has(c)) };
}

/** The rate a field says, as the API takes it ("20", "8.875"; a comma for the decimal point, a trailing % are
 * read too); undefined when it is no rate from 0 to 100 in thousandths at most. */
export function taxRate(text: string): string | undefined {
  const t = text.trim().replace(/\s*%$/, '').replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,3})?$/.test(t) || Number(t) > 100) return undefined;
  return t;
}

/** Field errors of the rules (keys like `taxes.1.rate`); `categories`: the names the form's categories have now. */
export function validateTaxes(rows: readonly TaxRow[], categories: readonly string[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const say = (key: string, values?: Record<string, unknown>) => i18n.t(`organizer:taxes.errors.${key}`, values);
  if (rows.length > MAX_TAXES) errors.taxes = i18n.t('organizer:taxes.atMost', { count: MAX_TAXES });
  const names = new Set<string>();
  const taxedBy = new Map<string, string>();
  rows.forEach((row, i) => {
    const name = row.name.trim();
    if (!name) errors[`taxes.${i}.name`] = say('name');
    else if (name.length > TAX_NAME_LENGTH) errors[`taxes.${i}.name`] = say('nameLength', { count: TAX_NAME_LENGTH });
    else if (names.has(name.toLowerCase())) errors[`taxes.${i}.name`] = say('nameTwice');
    names.add(name.toLowerCase());
    if (taxRate(row.rate) === undefined) errors[`taxes.${i}.rate`] = say('rate');
    const applies = row.categories.filter((c) => categories.includes(c));
    const twice = applies.find((c) => taxedBy.has(c));
    if (applies.length === 0) errors[`taxes.${i}.categories`] = say('categories');
    else if (twice) {
      errors[`taxes.${i}.categories`] = say('taxedTwice', { category: twice, tax: taxedBy.get(twice) });
    }
    applies.forEach((c) => { if (!taxedBy.has(c)) taxedBy.set(c, name || say('unnamed', { n: i + 1 })); });
  });
  return errors;
}

/** The API's `taxes`: each rule on the form's categories it ticks (a category removed since is left out). */
export function toTaxInput(rows: readonly TaxRow[], categories: readonly string[]): TaxRuleInput[] {
  return rows.map((row) => ({
    name: row.name.trim(), rate: taxRate(row.rate) ?? row.rate.trim(), inclusive: row.inclusive,
    categories: row.categories.filter((c) => categories.includes(c)),
  }));
}

/** The rows with a category renamed in the form (`to` empty: removed). */
export function renameTaxed(rows: readonly TaxRow[], from: string, to: string): TaxRow[] {
  return rows.map((row) => (row.categories.includes(from)
    ? { ...row, categories: row.categories.flatMap((c) => (c !== from ? [c] : to ? [to] : [])) }
    : row));
}

/** The form's key for a path into the body's `taxes` ("taxes.1.categories.0" is its rule's categories). */
export function taxFormKey(path: string): string | undefined {
  const [field, row, part] = path.split('.');
  if (field !== 'taxes') return undefined;
  if (row === undefined || !/^\d+$/.test(row)) return 'taxes';
  return ['name', 'rate', 'categories'].includes(part ?? '') ? `taxes.${row}.${part}` : 'taxes';
}

import type { OrderLine, Schemas } from '@/types/api';

import { money } from './format';
import { formattingLocale, i18n } from './i18n';

/** An event's tax rule: its name, rate in percent, whether its categories' prices include it, and those categories. */
export type TaxRule = Schemas['TaxRuleOut'];
/** What an order's seats of one tax rule and rate cost: net, tax and gross (a `name` of null: seats of no rule). */
export type TaxLine = Schemas['TaxLine'];

/** A rate as people write it: "20", "5.5", "8.875" (never "20.000"). */
export function ratePercent(rate: string | number): string {
  return new Intl.NumberFormat(formattingLocale(), { maximumFractionDigits: 3 }).format(Number(rate));
}

// A name that says its rate already ("VAT 20%") is not told the rate again.
const saysItsRate = (name: string) => name.includes('%');

// Kept on one line where the words wrap (a narrow price column): a rate and its %, "incl." or "+" and the rate.
const NBSP = '\u00a0';
const percent = (rate: string | number) => `${ratePercent(rate)}${NBSP}%`;

/** The rate before the name, as a price's note reads: "20 % VAT". */
const rateThenName = (name: string, rate: string | number) => (saysItsRate(name) ? name : `${percent(rate)} ${name}`);

/** The name before the rate, as a receipt's line reads: "VAT 20 %". */
const nameThenRate = (name: string, rate: string | number) => (saysItsRate(name) ? name : `${name} ${percent(rate)}`);

/** The rule that taxes a category, if any (a category is in one rule at most). */
export function taxOf(rules: readonly TaxRule[] | null | undefined, category: string): TaxRule | undefined {
  return rules?.find((rule) => rule.categories.includes(category));
}

/** A category's tax beside its price: "incl. 20 % VAT" when the price includes it, "+ 8.875 % sales tax" when it is
 * added on top. */
export function priceTaxWords(rule: Pick<TaxRule, 'name' | 'rate' | 'inclusive'>): string {
  return `${rule.inclusive ? i18n.t('checkout:tax.incl') : '+'}${NBSP}${rateThenName(rule.name, rule.rate)}`;
}

// Amounts counted in thousandths: exact for every currency's minor unit, no float drift over many lines.
const milli = (amount: string | number | null | undefined) => Math.round(Number(amount ?? 0) * 1000);

/** An order's price per tax rule and rate: its `taxes` as the API says them, else counted from its lines as the
 * ledger does (each line's seats at its gross and tax; a list of holds tells the lines alone). */
export function orderTaxes(taxes: readonly TaxLine[] | null | undefined, lines: readonly OrderLine[]): TaxLine[] {
  if (taxes && taxes.length > 0) return [...taxes];
  const found = new Map<string, { name: string | null; rate: string; tax: number; gross: number }>();
  for (const line of lines) {
    const name = line.tax_name ?? null;
    const rate = line.tax_rate ?? '0';
    const key = `${name ?? ''}\u0000${Number(rate)}`;
    const row = found.get(key) ?? { name, rate, tax: 0, gross: 0 };
    row.tax += milli(line.unit_tax) * line.quantity;
    row.gross += milli(line.unit_price) * line.quantity;
    found.set(key, row);
  }
  const told = (amount: number) => (amount / 1000).toFixed(3);
  return [...found.values()].map((r) => ({ name: r.name, rate: r.rate, net: told(r.gross - r.tax), tax: told(r.tax), gross: told(r.gross) }));
}

/** An order's lines a tax was taken on: those of no rule are left out. */
export function taxedLines(lines: readonly TaxLine[] | null | undefined): TaxLine[] {
  return (lines ?? []).filter((line) => line.name !== null);
}

/** Whether a tax line's tax was added on top of the prices, as the event's rule of that name and rate says; false when
 * no rule says so any more (the rules changed since), and the line is told as included in the total, which it is. */
export function addedOnTop(line: TaxLine, rules: readonly TaxRule[] | null | undefined): boolean {
  const rule = rules?.find((r) => r.name === line.name && Number(r.rate) === Number(line.rate));
  return rule?.inclusive === false;
}

/** A tax line under an order's total: "incl. VAT 20 %: €10.00" for a tax the prices include; for one added on top,
 * the seats' price before it, the tax, and what they cost with it: "Sales tax 8.875 %: $50.00 + $4.44 = $54.44". */
export function taxLineWords(line: TaxLine, rules: readonly TaxRule[] | null | undefined, currency?: string): string {
  const named = nameThenRate(line.name ?? '', line.rate);
  if (!addedOnTop(line, rules)) return `${i18n.t('checkout:tax.incl')} ${named}: ${money(line.tax, currency)}`;
  const told = named.charAt(0).toUpperCase() + named.slice(1);
  return `${told}: ${money(line.net, currency)} + ${money(line.tax, currency)} = ${money(line.gross, currency)}`;
}

/** Whether any of the categories chosen has a tax added on top of its price (the total before a hold says so). */
export function taxAddedTo(rules: readonly TaxRule[] | null | undefined, categories: readonly string[]): boolean {
  return categories.some((category) => taxOf(rules, category)?.inclusive === false);
}

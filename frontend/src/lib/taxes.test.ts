import { describe, expect, it } from 'vitest';

import { addedOnTop, orderTaxes, priceTaxWords, ratePercent, taxAddedTo, taxedLines, taxLineWords, taxOf, type TaxRule } from './taxes';

const VAT: TaxRule = { name: 'VAT', rate: '20', inclusive: true, categories: ['Stalls'] };
const SALES: TaxRule = { name: 'sales tax', rate: '8.875', inclusive: false, categories: ['General'] };
const RULES = [VAT, SALES];
/** The words as read: their non-breaking spaces as spaces. */
const plain = (words: string) => words.replace(/\u00a0/g, ' ');

describe('a tax beside a price', () => {
  it('says a tax the price includes, and one added on top, by its rate and name', () => {
    expect(plain(priceTaxWords(VAT))).toBe('incl. 20 % VAT');
    expect(plain(priceTaxWords(SALES))).toBe('+ 8.875 % sales tax');
    expect(plain(priceTaxWords({ name: 'TVA', rate: '5.500', inclusive: true }))).toBe('incl. 5.5 % TVA');
  });

  it('keeps a rate with its % sign and the word before it where the words wrap', () => {
    expect(priceTaxWords(VAT)).toBe('incl.\u00a020\u00a0% VAT');
    expect(taxLineWords({ name: 'VAT', rate: '20', net: '50.00', tax: '10.00', gross: '60.00' }, RULES, 'EUR')).toMatch(/^incl\. VAT 20\u00a0%:/);
  });

  it('does not say the rate twice when the name says it', () => {
    expect(plain(priceTaxWords({ name: 'VAT 20%', rate: '20', inclusive: true }))).toBe('incl. VAT 20%');
  });

  it("finds a category's rule, and none for an untaxed one", () => {
    expect(taxOf(RULES, 'General')).toBe(SALES);
    expect(taxOf(RULES, 'Programme')).toBeUndefined();
    expect(taxOf(undefined, 'General')).toBeUndefined();
  });

  it('tells whether a tax is added to a choice of categories', () => {
    expect(taxAddedTo(RULES, ['Stalls', 'Programme'])).toBe(false);
    expect(taxAddedTo(RULES, ['Stalls', 'General'])).toBe(true);
  });

  it('writes a rate without its trailing zeros', () => {
    expect([ratePercent('20.000'), ratePercent('8.875'), ratePercent('0')]).toEqual(['20', '8.875', '0']);
  });
});

describe("an order's tax lines", () => {
  const vatLine = { name: 'VAT', rate: '20', net: '50.00', tax: '10.00', gross: '60.00' };
  const salesLine = { name: 'sales tax', rate: '8.875', net: '50.00', tax: '4.44', gross: '54.44' };
  const untaxed = { name: null, rate: '0', net: '2.00', tax: '0.00', gross: '2.00' };

  it('leaves out the seats of no rule', () => {
    expect(taxedLines([vatLine, untaxed])).toEqual([vatLine]);
    expect(taxedLines(null)).toEqual([]);
  });

  it("counts an order's taxes from its lines when the API does not say them, as the ledger does", () => {
    const lines = [
      { category: 'Stalls', quantity: 2, unit_price: '30.00', unit_tax: '5.00', tax_name: 'VAT', tax_rate: '20' },
      { category: 'Programme', quantity: 1, unit_price: '2.00' },
      { category: 'Box', quantity: 1, unit_price: '30.00', unit_tax: '5.00', tax_name: 'VAT', tax_rate: '20.000' },
    ];
    expect(orderTaxes(null, lines).map((t) => [t.name, Number(t.net), Number(t.tax), Number(t.gross)]))
      .toEqual([['VAT', 75, 15, 90], [null, 2, 0, 2]]);
    expect(orderTaxes([vatLine], lines)).toEqual([vatLine]);
  });

  it('says the tax a total includes', () => {
    expect(plain(taxLineWords(vatLine, RULES, 'EUR'))).toMatch(/^incl\. VAT 20 %: €\s?10\.00$/);
  });

  it('says the price before a tax added on top, the tax and the price with it', () => {
    expect(addedOnTop(salesLine, RULES)).toBe(true);
    expect(plain(taxLineWords(salesLine, RULES, 'USD'))).toMatch(/^Sales tax 8\.875 %: \$\s?50\.00 \+ \$\s?4\.44 = \$\s?54\.44$/);
  });

  it('says a tax whose rule changed since as included in the total, which it is either way', () => {
    const changed = [{ ...SALES, rate: '9' }];
    expect(addedOnTop(salesLine, changed)).toBe(false);
    expect(plain(taxLineWords(salesLine, changed, 'USD'))).toMatch(/^incl\. sales tax 8\.875 %: \$\s?4\.44$/);
    expect(plain(taxLineWords(salesLine, undefined, 'USD'))).toMatch(/^incl\. sales tax 8\.875 %/);
  });
});

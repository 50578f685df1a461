import { describe, expect, it } from 'vitest';

import { countries, readersCountry } from './countries';
import { buyerFormKey, invoiceNumber, newBuyer, sellerFormKey, toBuyerIn, toSellerIn, validateBuyer } from './party-details';

describe("a party's details", () => {
  it('sends an address as its lines, trimmed, blank ones left out, and an empty optional field as null', () => {
    expect(toBuyerIn({ ...newBuyer(' Alice ', 'FR'), address: ' 1 rue X \n\n 75001 Paris ', company: '  ', vatId: '' })).toEqual({
      name: 'Alice', company: null, address: '1 rue X\n75001 Paris', country: 'FR', vat_id: null,
    });
    expect(toSellerIn({ name: 'Jazz', address: 'Berlin', country: 'DE', vatId: ' DE136695976 ', email: '', prefix: ' jn- ' }))
      .toEqual({ name: 'Jazz', address: 'Berlin', country: 'DE', vat_id: 'DE136695976', email: null, prefix: 'JN-' });
  });

  it('asks for a name, an address and a country; the VAT ID is checked by the API', () => {
    expect(validateBuyer(newBuyer())).toEqual({ name: 'Enter your name.', address: 'Enter the postal address.', country: 'Choose the country.' });
    expect(validateBuyer({ ...newBuyer('Alice', 'FR'), address: 'Paris', vatId: 'FR00' })).toEqual({});
  });

  it("puts the API's refused field at the form's", () => {
    expect(buyerFormKey('vat_id')).toBe('vatId');
    expect(buyerFormKey('address')).toBe('address');
    expect(buyerFormKey('email')).toBeUndefined();
    expect(sellerFormKey('prefix')).toBe('prefix');
  });

  it('numbers an invoice as the API does: the prefix, then five digits', () => {
    expect(invoiceNumber('JN-', 1)).toBe('JN-00001');
    expect(invoiceNumber('2030/', 123456)).toBe('2030/123456');
  });
});

describe('countries', () => {
  it('names each in the reader\'s language, in the order of their names', () => {
    const named = countries('en');
    expect(named.find((c) => c.code === 'DE')?.name).toBe('Germany');
    expect(named.map((c) => c.name)).toEqual([...named.map((c) => c.name)].sort((a, b) => a.localeCompare(b, 'en')));
    expect(countries('fr').find((c) => c.code === 'DE')?.name).toBe('Allemagne');
  });

  it("guesses the reader's country from their language", () => {
    expect(readersCountry('en-GB')).toBe('GB');
    expect(readersCountry('fr')).toBe('FR');
    expect(readersCountry('not a language')).toBe('');
  });
});

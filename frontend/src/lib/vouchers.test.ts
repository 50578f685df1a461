import { describe, expect, it } from 'vitest';

import { categoriesWords, discountWords, usesWords, validityWords, voucherState } from './vouchers';

const NOW = Date.parse('2030-03-01T12:00:00Z');
const terms = { disabled: false, redeemed: 0, max_uses: 10, valid_from: null, valid_until: null };

describe('discountWords', () => {
  it('says a percentage without its trailing zeros', () => {
    expect(discountWords({ discount: 'percent', value: '20.00' }, 'EUR')).toBe('20 % off');
    expect(discountWords({ discount: 'percent', value: '12.50' }, 'EUR')).toBe('12.5 % off');
  });

  it('says that 100 % off is free', () => {
    expect(discountWords({ discount: 'percent', value: '100' }, 'EUR')).toBe('100 % off: free');
  });

  it('says an amount off in the event\'s currency', () => {
    expect(discountWords({ discount: 'amount_off', value: '5.00' }, 'EUR')).toMatch(/^€\s?5\.00 off$/);
  });

  it('says a set price, and a set price of 0 as free', () => {
    expect(discountWords({ discount: 'set_price', value: '7.00' }, 'EUR')).toMatch(/^set price €\s?7\.00$/);
    expect(discountWords({ discount: 'set_price', value: '0.00' }, 'EUR')).toMatch(/^€\s?0\.00: free$/);
  });
});

describe('a voucher in words', () => {
  it('counts its uses in seats', () => {
    expect(usesWords({ redeemed: 3, max_uses: 10 })).toBe('3 of 10 seats used');
    expect(usesWords({ redeemed: 0, max_uses: 1 })).toBe('0 of 1 seat used');
  });

  it("says when it may be used in the venue's time", () => {
    const until = '2030-03-01T00:00:00Z';
    expect(validityWords({ valid_from: null, valid_until: null }, 'Europe/London')).toBe('Any time until the event');
    expect(validityWords({ valid_from: null, valid_until: until }, 'Europe/London', 'Europe/London', 'en-GB')).toBe('Until Fri, 1 Mar 2030, 00:00 UTC+0 (London)');
    expect(validityWords({ valid_from: '2030-02-01T09:00:00Z', valid_until: until }, 'Europe/London', 'Europe/London', 'en-GB'))
      .toBe('From Fri, 1 Feb 2030, 09:00 UTC+0 (London) until Fri, 1 Mar 2030, 00:00 UTC+0 (London)');
    expect(validityWords({ valid_from: until, valid_until: null }, 'America/New_York', 'America/New_York', 'en-GB')).toBe('From Thu, 28 Feb 2030, 19:00 UTC\u22125 (New York)');
  });

  it('names its categories, or all of them', () => {
    expect(categoriesWords({ categories: null })).toBe('All categories');
    expect(categoriesWords({ categories: ['General', 'VIP'] })).toBe('General, VIP');
  });
});

describe('voucherState', () => {
  it('is active while it may be used', () => {
    expect(voucherState(terms, NOW)).toBe('active');
    expect(voucherState({ ...terms, valid_from: '2030-03-01T11:00:00Z', valid_until: '2030-03-02T00:00:00Z' }, NOW)).toBe('active');
  });

  it('says why buyers may not use it, disabled first', () => {
    expect(voucherState({ ...terms, disabled: true, redeemed: 10 }, NOW)).toBe('disabled');
    expect(voucherState({ ...terms, redeemed: 10 }, NOW)).toBe('used up');
    expect(voucherState({ ...terms, valid_until: '2030-03-01T12:00:00Z' }, NOW)).toBe('expired');
    expect(voucherState({ ...terms, valid_from: '2030-03-01T12:00:01Z' }, NOW)).toBe('not yet valid');
  });
});

import { describe, expect, it } from 'vitest';

import {
  amountOwed, discounted, lineAmount, linesListTotal, linesOf, linesSummary, linesTotal, orderListTotal, ticketPrice, voucherSaving,
} from './order-lines';

const order = {
  category: 'General', quantity: 3, unit_price: '25.00',
  lines: [{ category: 'General', quantity: 2, unit_price: '25.00' }, { category: 'VIP', quantity: 1, unit_price: '80.10' }],
};

describe('order lines', () => {
  it('reads the lines of an order across categories, or the one line its single fields tell', () => {
    expect(linesOf(order)).toBe(order.lines);
    expect(linesOf({ ...order, lines: null })).toEqual([{ category: 'General', quantity: 3, unit_price: '25.00' }]);
    expect(linesOf({ category: 'General', quantity: 2, unit_price: null })).toEqual([{ category: 'General', quantity: 2, unit_price: '0' }]);
    // A hold that ended says no seats any more.
    expect(linesOf({ lines: null, category: null, quantity: null, unit_price: null })).toEqual([]);
  });

  it('counts what they cost in cents', () => {
    expect(lineAmount({ quantity: 3, unit_price: '0.10' })).toBe(0.3);
    expect(linesTotal(order.lines)).toBe(130.1);
    expect(linesTotal([])).toBe(0);
  });

  it('says them in words', () => {
    expect(linesSummary(order.lines)).toBe('2 × General, 1 × VIP');
  });

  it("prices a ticket at its line's price, else the order's first", () => {
    expect(ticketPrice(order, { category: 'VIP' })).toBe('80.10');
    expect(ticketPrice(order, { category: 'General' })).toBe('25.00');
    expect(ticketPrice(order, {})).toBe('25.00');
  });

  it('owes the price of the tickets not cancelled, a ticket refunded before the payment owed no more', () => {
    const tickets = [
      { status: 'active', category: 'General' },
      { status: 'cancelled', category: 'General' },
      { status: 'used', category: 'VIP' },
    ];
    expect(amountOwed({ ...order, tickets })).toBe('105.10');
    expect(amountOwed({ ...order, tickets: tickets.map((t) => ({ ...t, status: 'cancelled' })) })).toBe('0.00');
  });
});

describe('lines priced by a voucher', () => {
  const lines = [
    { category: 'General', quantity: 2, unit_price: '20.00', list_price: '25.00' },
    { category: 'VIP', quantity: 1, unit_price: '80.00' },
  ];

  it('says which lines a voucher lowered', () => {
    expect(lines.map(discounted)).toEqual([true, false]);
    // A set price above the list price takes nothing off.
    expect(discounted({ unit_price: '30.00', list_price: '25.00' })).toBe(false);
  });

  it('counts what the order would cost without it, from its lines or as the API says', () => {
    expect(linesListTotal(lines)).toBe(130);
    expect(orderListTotal(lines)).toBe(130);
    expect(orderListTotal(lines, '131.00')).toBe(131);
  });

  it('counts what it took off, never less than nothing', () => {
    expect(voucherSaving(lines, '120.00', '130.00')).toBe(10);
    expect(voucherSaving(lines, '120.00')).toBe(10);
    expect(voucherSaving([{ category: 'General', quantity: 1, unit_price: '30.00', list_price: '25.00' }], '30.00', '25.00')).toBe(0);
    expect(voucherSaving([{ category: 'General', quantity: 3, unit_price: '0.10' }], '0.30', '0.30')).toBe(0);
  });
});

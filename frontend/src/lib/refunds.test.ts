import { describe, expect, it } from 'vitest';

import type { Booking } from '@/types/api';

import { bookingRefund, moneyTaken, refundOnCancel, standingLines, ticketRefund } from './refunds';

type Payment = NonNullable<Booking['payment']>;
const paid = (over: Partial<Payment> = {}): Payment => ({
  provider: 'stripe', status: 'succeeded', amount: '130.00', refunded: '0.00', currency: 'EUR', updated_at: '2030-01-01T10:00:00Z', message: null, ...over,
});
const order = (over: Partial<Booking> = {}): Booking => ({
  id: 'b1', event_id: 'e1', user_id: 'u1', user_name: 'Ann', category: 'General', quantity: 3, unit_price: '25.00', total_amount: '130.00',
  lines: [{ category: 'General', quantity: 2, unit_price: '25.00' }, { category: 'VIP', quantity: 1, unit_price: '80.00' }],
  status: 'confirmed', created_at: '2030-01-01T10:00:00Z', position: 5,
  tickets: [
    { code: 'G1', status: 'active', category: 'General' }, { code: 'G2', status: 'active', category: 'General' },
    { code: 'V1', status: 'cancelled', category: 'VIP' },
  ],
  ...over,
});

describe('refunds in words', () => {
  it('takes money as taken once paid, not while a transfer is awaited or nothing is recorded', () => {
    expect(moneyTaken(order({ payment: paid() }))).toBe(true);
    expect(moneyTaken(order({ payment: paid({ status: 'refund_pending' }) }))).toBe(true);
    expect(moneyTaken(order({ payment: paid({ status: 'awaiting_payment', provider: 'offline' }) }))).toBe(false);
    expect(moneyTaken(order())).toBe(false);
  });

  it("says a ticket cancelled out of a paid booking went back at its own line's price, or is on its way", () => {
    const v1 = { status: 'cancelled' as const, category: 'VIP' };
    expect(ticketRefund(order({ payment: paid({ status: 'refunded', refunded: '80.00' }) }), v1, 'EUR')).toMatch(/^€\s?80\.00 refunded$/);
    expect(ticketRefund(order({ payment: paid({ status: 'refund_pending' }) }), v1, 'EUR')).toMatch(/^€\s?80\.00 being refunded$/);
    expect(ticketRefund(order({ payment: paid({ status: 'refunded' }) }), { status: 'active', category: 'General' }, 'EUR')).toBeNull();
  });

  it('says nothing went back for a ticket that was free or not paid for', () => {
    const free = order({ payment: paid({ status: 'refunded' }), lines: [{ category: 'General', quantity: 2, unit_price: '0.00' }, { category: 'VIP', quantity: 1, unit_price: '0.00' }] });
    expect(ticketRefund(free, { status: 'cancelled', category: 'VIP' }, 'EUR')).toBeNull();
    expect(ticketRefund(order(), { status: 'cancelled', category: 'VIP' }, 'EUR')).toBeNull();
  });

  it('lists what still stands of a booking after a ticket was refunded, and what cancelling it gives back', () => {
    const partly = order({ payment: paid({ status: 'refunded', refunded: '80.00' }) });
    expect(standingLines(partly)).toEqual([{ category: 'General', quantity: 2, unit_price: '25.00' }]);
    expect(refundOnCancel(partly)).toBe('50.00');
    expect(refundOnCancel(order())).toBeNull(); // not paid yet
    expect(standingLines(order({ tickets: order().tickets.map((t) => ({ ...t, status: 'active' })) }))).toEqual(order().lines);
  });

  it('says what a cancelled booking gave back, or that nothing did', () => {
    const gone = (payment?: Payment) => order({ status: 'cancelled', payment, tickets: order().tickets.map((t) => ({ ...t, status: 'cancelled' })) });
    expect(bookingRefund(gone(paid({ status: 'refunded', refunded: '130.00' })), 'EUR')).toMatch(/^€\s?130\.00 refunded$/);
    expect(bookingRefund(gone(paid({ status: 'refund_pending', refunded: '80.00' })), 'EUR')).toMatch(/^€\s?50\.00 being refunded$/);
    expect(bookingRefund(gone(paid({ status: 'awaiting_payment', provider: 'offline' })), 'EUR')).toBeNull();
    expect(bookingRefund(gone(), 'EUR')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';

import { checkedInNote, hasCheckedInTicket } from './check-ins';

const ticket = (status: 'active' | 'used' | 'cancelled') => ({ code: `C-${status}`, status, category: 'General' });

describe('check-ins', () => {
  it('a booking with a ticket used is one with a ticket checked in', () => {
    expect(hasCheckedInTicket({ tickets: [ticket('active'), ticket('used')] })).toBe(true);
    expect(hasCheckedInTicket({ tickets: [ticket('active'), ticket('cancelled')] })).toBe(false);
  });

  it('says why only of a confirmed booking with a ticket checked in', () => {
    expect(checkedInNote({ status: 'confirmed', tickets: [ticket('used')] })).toBe('Its ticket was checked in: it can no longer be cancelled.');
    expect(checkedInNote({ status: 'confirmed', tickets: [ticket('used'), ticket('used'), ticket('active')] }))
      .toBe('2 of its tickets were checked in: it can no longer be cancelled.');
    expect(checkedInNote({ status: 'confirmed', tickets: [ticket('active')] })).toBeNull();
    expect(checkedInNote({ status: 'cancelled', tickets: [ticket('cancelled')] })).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';

import { categoryDemand } from './event-details';
import { seatsLabel } from './seats-left';

describe('seatsLabel', () => {
  it('says sold out, few left, or how many', () => {
    expect(seatsLabel(0, 10, 'active')).toBe('Sold out');
    expect(seatsLabel(2, 100, 'active')).toBe('Only 2 left');
    expect(seatsLabel(60, 100, 'active')).toBe('60 of 100 seats left');
    expect(seatsLabel(60, 100, 'cancelled')).toBe('Cancelled');
  });
});

describe('categoryDemand', () => {
  it('names the seats at checkout and those the waitlist waits for, or nothing', () => {
    expect(categoryDemand({ held: 3, waitlisted: 5 })).toBe('3 held at checkout · 5 on the waitlist');
    expect(categoryDemand({ held: 0, waitlisted: 2 })).toBe('2 on the waitlist');
    expect(categoryDemand({ held: 1, waitlisted: 0 })).toBe('1 held at checkout');
    expect(categoryDemand({ held: 0, waitlisted: 0 })).toBeNull();
  });
});

import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { serveApi } from '@/testing/mock-api';
import { renderWithProviders } from '@/testing/test-utils';
import type { Booking } from '@/types/api';

import { MyBookings, cancelledBy } from './my-bookings';

const booking = (over: Partial<Booking> = {}): Booking => ({
  id: 'b1', event_id: 'e1', user_id: 'u1', user_name: 'Ann', category: 'VIP', quantity: 2, unit_price: '40.00', total_amount: '80.00',
  lines: [{ category: 'VIP', quantity: 2, unit_price: '40.00' }],
  status: 'cancelled', created_at: '2030-01-01T10:00:00Z', position: 5, tickets: [{ code: 'CODE-ONE-1234', status: 'cancelled', category: 'VIP' }], ...over,
});

describe('a cancelled booking in My bookings', () => {
  it('says the organizer cancelled it and why', async () => {
    serveApi({
      'GET /users/u1/bookings': { items: [booking({ cancelled_by: 'organizer', cancellation_reason: 'The venue flooded' })], next_cursor: null },
      'GET /events/e1': { id: 'e1', name: 'Gala', venue: 'Opera', starts_at: '2030-02-01T20:00:00Z', currency: 'EUR' },
    });
    renderWithProviders(<MyBookings userId="u1" />);
    expect(await screen.findByTestId('cancellation')).toHaveTextContent('Cancelled by the organizer: “The venue flooded”');
  });

  it('names who cancelled, even without a reason', () => {
    expect(cancelledBy(booking({ cancelled_by: 'customer' }))).toBe('You cancelled it');
    expect(cancelledBy(booking({ cancelled_by: 'admin' }))).toBe('Cancelled by an administrator');
    expect(cancelledBy(booking({ cancelled_by: null }))).toBe('Cancelled');
  });
});

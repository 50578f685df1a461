import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';
import type { LedgerEvent } from '@/types/api';

import { AdminVouchersRoute } from './vouchers';

const organizer = userOf('organizer');
const event = (over: Partial<LedgerEvent> = {}): LedgerEvent => ({
  id: 'e1', name: 'Gala', description: '', venue: 'Opera', starts_at: '2999-02-01T20:00:00Z', ends_at: null, currency: 'EUR',
  status: 'active', categories: [{ name: 'General', price: '10.00', capacity: 10, sold: 0, held: 0, waitlisted: 0, available: 10, hidden: false, reserved: 0 }],
  total_seats: 10, available_seats: 10, max_tickets_per_user: null, created_at: '2030-01-01T10:00:00Z', organizer_id: organizer.id,
  organizer_name: 'Org', co_organizers: [], timezone: 'UTC', published: true, ...over,
});

function openAs(e: LedgerEvent, user = organizer) {
  serveApi({ 'GET /events/e1': e, 'GET /events/e1/vouchers': { items: [], next_cursor: null, position: 1 } });
  renderWithProviders(<AdminVouchersRoute />, { route: '/admin/events/e1/vouchers', path: '/admin/events/:eventId/vouchers', user });
}

describe("an event's vouchers page", () => {
  it('offers its organizer the form for a new voucher and the list', async () => {
    openAs(event());
    expect(await screen.findByRole('heading', { name: 'Vouchers · Gala' })).toBeInTheDocument();
    expect(screen.getByRole('form', { name: 'New voucher' })).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'No vouchers yet' })).toBeInTheDocument();
  });

  it('makes no new voucher for an event that is over, and still lists what its vouchers sold', async () => {
    openAs(event({ status: 'completed' }));
    expect(await screen.findByText(/This event is completed: no new vouchers can be made\./)).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'New voucher' })).toBeNull();
    expect(await screen.findByRole('heading', { name: 'No vouchers yet' })).toBeInTheDocument();
  });

  it("tells another organizer it is not their event", async () => {
    openAs(event({ organizer_id: 'someone-else' }));
    expect(await screen.findByTestId('not-your-event')).toHaveTextContent('Only its organizers or an admin can make vouchers for “Gala”.');
  });
});

import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';
import type { LedgerEvent } from '@/types/api';

import { EventRoute } from './event';

const organizer = userOf('organizer');
const event = (over: Partial<LedgerEvent> = {}): LedgerEvent => ({
  id: 'e1', name: 'Gala', description: '', venue: 'Opera', starts_at: '2999-02-01T20:00:00Z', ends_at: null, currency: 'EUR',
  status: 'active', categories: [{ name: 'General', price: '10.00', capacity: 10, sold: 0, held: 0, waitlisted: 0, available: 10, hidden: false, reserved: 0 }],
  total_seats: 10, available_seats: 10, max_tickets_per_user: null, created_at: '2030-01-01T10:00:00Z', organizer_id: organizer.id,
  organizer_name: 'Org', co_organizers: [], timezone: 'UTC', published: true, ...over,
});

function openAs(e: LedgerEvent) {
  serveApi({ 'GET /events/e1': e, 'GET /users/organizer-1/bookings': { items: [], next_cursor: null } });
  renderWithProviders(<EventRoute />, { route: '/events/e1', path: '/events/:eventId', user: organizer });
}

describe('the event page for its organizer', () => {
  it("links to the event's edit, bookings, box office and vouchers pages", async () => {
    openAs(event());
    const manage = within(await screen.findByRole('region', { name: 'Manage this event' }));
    expect(manage.getAllByRole('link').map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Edit', '/admin/events/e1/edit'], ['Bookings', '/admin/events/e1/bookings'], ['Box office', '/admin/events/e1/box-office'],
      ['Vouchers', '/admin/events/e1/vouchers'],
    ]);
    expect(manage.getByRole('button', { name: 'Cancel the event' })).toBeInTheDocument();
  });

  it('offers a draft what applies to a draft: publish, schedule or discard, not complete or cancel', async () => {
    openAs(event({ published: false }));
    const manage = within(await screen.findByRole('region', { name: 'Manage this event' }));
    expect(manage.getByRole('link', { name: 'Box office' })).toHaveAttribute('href', '/admin/events/e1/box-office');
    expect(manage.getByRole('button', { name: 'Discard the draft' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Complete the event' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cancel the event' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Publish' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Schedule' })).toBeInTheDocument();
  });

  it('offers a discarded draft no publication', async () => {
    openAs(event({ published: false, status: 'cancelled' }));
    await screen.findByRole('region', { name: 'Manage this event' });
    expect(screen.queryByRole('button', { name: 'Publish' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Discard the draft' })).toBeNull();
    expect(screen.getByText('This event is cancelled: nothing more to do.')).toBeInTheDocument();
  });
});

import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { PENDING, refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';
import type { Booking } from '@/types/api';

import { AuditBookings, EventBookingsAudit, UserBookingsAudit, cancellation } from './audit-bookings';

const digest = `sha256:${'ab12'.repeat(16)}`;
const booking = (over: Partial<Booking> = {}): Booking => ({
  id: 'b1', event_id: 'e1', user_id: 'u1', user_name: 'Ann', category: 'VIP', quantity: 2, unit_price: '40.00', total_amount: '80.00',
  lines: [{ category: 'VIP', quantity: 2, unit_price: '40.00' }],
  status: 'confirmed', tickets: [{ code: digest, status: 'active', category: 'VIP' }], created_at: '2030-01-01T10:00:00Z', position: 5, ...over,
});
const gala = { id: 'e1', name: 'Gala', currency: 'EUR' };
const auditor = userOf('auditor');

describe("the auditor's bookings", () => {
  it('waits for an event’s bookings', () => {
    serveApi({ 'GET /events/e1': gala, 'GET /events/e1/bookings': PENDING });
    renderWithProviders(<EventBookingsAudit eventId="e1" />, { user: auditor });
    expect(screen.getByText(/Loading bookings/)).toBeInTheDocument();
  });

  it('says when an event has none', async () => {
    serveApi({ 'GET /events/e1': gala, 'GET /events/e1/bookings': { items: [], next_cursor: null } });
    renderWithProviders(<EventBookingsAudit eventId="e1" />, { user: auditor });
    expect(await screen.findByText('No bookings on this event')).toBeInTheDocument();
  });

  it('shows why a user’s bookings cannot be read', async () => {
    serveApi({ 'GET /users/u1/bookings': refuse(403, 'FORBIDDEN', 'Auditors may not read this') });
    renderWithProviders(<UserBookingsAudit userId="u1" />, { user: auditor });
    expect(await screen.findByRole('alert')).toHaveTextContent('Your account may not do this.');
  });

  it('lists an event’s bookings with ticket digests, the reason of a cancellation and more pages', async () => {
    const calls = serveApi({
      'GET /events/e1': gala,
      'GET /events/e1/bookings': ({ params }: { params: Record<string, unknown> }) => (params.cursor
        ? { items: [booking({ id: 'b3', user_name: 'Cid' })], next_cursor: null }
        : { items: [booking(), booking({ id: 'b2', user_name: 'Ben', status: 'cancelled', cancelled_by: 'organizer', cancellation_reason: 'Double booking' })], next_cursor: 'c1' }),
    });
    renderWithProviders(<EventBookingsAudit eventId="e1" />, { user: auditor });
    const rows = await screen.findAllByTestId('audit-booking');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('sha256:ab12ab12…').closest('span')).toHaveAttribute('title', `${digest} (active)`);
    expect(within(rows[0]).getByText(/€\s?80\.00/)).toBeInTheDocument();
    expect(within(rows[1]).getByText('by the organizer: “Double booking”')).toBeInTheDocument();
    expect(within(rows[0]).getByRole('link', { name: 'Proof' })).toHaveAttribute('href', '/audit/heads?booking=b1');
    expect(screen.queryByRole('button', { name: /Cancel/ })).toBeNull(); // read-only
    await userEvent.click(screen.getByRole('button', { name: 'More bookings' }));
    expect(await screen.findAllByTestId('audit-booking')).toHaveLength(3);
    expect(calls.at(-1)?.params).toMatchObject({ cursor: 'c1' });
  });

  it('shows each line of an order across categories and each ticket’s category', async () => {
    const order = booking({
      quantity: 3, total_amount: '130.00',
      lines: [{ category: 'General', quantity: 2, unit_price: '25.00' }, { category: 'VIP', quantity: 1, unit_price: '80.00' }],
      tickets: [{ code: `${digest}1`, status: 'active', category: 'General' }, { code: `${digest}2`, status: 'active', category: 'General' },
        { code: `${digest}3`, status: 'active', category: 'VIP' }],
    });
    serveApi({ 'GET /events/e1': gala, 'GET /events/e1/bookings': { items: [order], next_cursor: null } });
    renderWithProviders(<EventBookingsAudit eventId="e1" />, { user: auditor });
    const [row] = await screen.findAllByTestId('audit-booking');
    expect(within(row!).getAllByTestId('booking-line').map((l) => l.textContent)).toEqual(['2 × General', '1 × VIP']);
    expect(within(row!).getAllByText(/^(General|VIP)$/).map((c) => c.textContent)).toEqual(['General', 'General', 'VIP']);
  });

  it('finds a user and lists their bookings with the events’ names', async () => {
    serveApi({
      'GET /events': { items: [], next_cursor: null },
      'GET /users': { items: [{ id: 'u1', name: 'Ann', email: 'ann@x.test', role: 'customer', phone: null }], next_cursor: null },
      'GET /users/u1/bookings': { items: [booking()], next_cursor: null },
      'GET /events/e1': gala,
    });
    renderWithProviders(<AuditBookings />, { user: auditor, route: '/audit/bookings', path: '/audit/bookings' });
    expect(await screen.findByText('Choose an event or a user')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'A user' }));
    await userEvent.click(await screen.findByRole('button', { name: /Ann/ }));
    expect(await screen.findByRole('link', { name: 'Gala' })).toHaveAttribute('href', '/audit/events/e1');
  });
});

describe('cancellation', () => {
  it('says who cancelled and why', () => {
    expect(cancellation(booking())).toBe('');
    expect(cancellation(booking({ status: 'cancelled', cancelled_by: 'customer', cancellation_reason: null }))).toBe('by the customer');
    expect(cancellation(booking({ status: 'cancelled', cancelled_by: 'admin', cancellation_reason: 'Fraud' }))).toBe('by the admin: “Fraud”');
  });
});

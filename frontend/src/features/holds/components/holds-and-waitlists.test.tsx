import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';
import type { Hold, Place } from '@/types/api';

import { holdKeys } from '../api/query-keys';
import { HoldsAndWaitlists } from './holds-and-waitlists';

const customer = userOf('customer');
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const hold = (over: Partial<Hold>): Hold => ({
  id: 'h1', event_id: 'e1', user_id: 'customer-1', category: 'General', quantity: 2, unit_price: '25.00', status: 'active',
  expires_at: inSeconds(90), offer: false, place_id: null, booking_id: null, ...over,
});
const place = (over: Partial<Place>): Place => ({
  id: 'p1', event_id: 'e2', user_id: 'customer-1', category: 'VIP', quantity: 1, rank: 3, status: 'waiting',
  joined_at: '2030-01-01T10:00:00Z', hold_id: null, ...over,
});
const page = <T,>(items: T[]) => ({ items, next_cursor: null, position: 1 });
const events = {
  'GET /events/e1': { id: 'e1', name: 'Gala', venue: 'Opera', starts_at: '2999-02-01T20:00:00Z', currency: 'EUR' },
  'GET /events/e2': { id: 'e2', name: 'Jazz', venue: 'Club', starts_at: '2999-03-01T20:00:00Z', currency: 'EUR' },
};

describe('HoldsAndWaitlists', () => {
  it('lists the live holds and offers with their countdowns, and the places on waitlists with their rank; not the ended ones', async () => {
    serveApi({
      ...events,
      'GET /users/customer-1/holds': page([
        hold({}), hold({ id: 'h2', offer: true, place_id: 'p0', quantity: 1 }),
        hold({ id: 'h3', status: 'confirmed' }), hold({ id: 'h4', status: 'expired' }),
      ]),
      'GET /users/customer-1/waitlist': page([place({}), place({ id: 'p0', status: 'offered', rank: null })]),
    });
    renderWithProviders(<HoldsAndWaitlists userId="customer-1" />, { user: customer });
    expect(await screen.findByRole('heading', { name: 'Holds and waitlists' })).toBeInTheDocument();
    const holds = screen.getAllByTestId('hold-item');
    expect(holds).toHaveLength(2);
    expect(within(holds[0]).getByRole('heading', { name: 'Your seats are held' })).toBeInTheDocument();
    expect(within(holds[0]).getByRole('timer')).toHaveTextContent(/^01:(29|30)$/);
    expect(await within(holds[0]).findByRole('link', { name: 'Gala' })).toHaveAttribute('href', '/events/e1');
    expect(within(holds[1]).getByRole('heading', { name: 'Seats are available for you' })).toBeInTheDocument();
    const places = screen.getAllByTestId('place-item');
    expect(places).toHaveLength(1);
    expect(within(places[0]).getByText('You are #3 on the waitlist')).toBeInTheDocument();
    expect(await within(places[0]).findByRole('link', { name: 'Jazz' })).toBeInTheDocument();
  });

  it('leaves a waitlist', async () => {
    let left = false;
    const calls = serveApi({
      ...events,
      'GET /users/customer-1/holds': page([]),
      'GET /users/customer-1/waitlist': () => page([place(left ? { status: 'left', rank: null } : {})]),
      'DELETE /waitlist/p1': () => { left = true; return place({ status: 'left' }); },
    });
    renderWithProviders(<HoldsAndWaitlists userId="customer-1" />, { user: customer });
    await userEvent.click(await screen.findByRole('button', { name: 'Leave the waitlist' }));
    await vi.waitFor(() => expect(screen.queryByTestId('place-item')).toBeNull());
    expect(calls.some((c) => c.method === 'DELETE' && c.url === '/waitlist/p1')).toBe(true);
  });

  it('confirms a hold and says where its tickets are', async () => {
    serveApi({
      ...events,
      'GET /users/customer-1/holds': page([hold({})]),
      'GET /users/customer-1/waitlist': page([]),
      'POST /holds/h1/confirm': { id: 'b1', quantity: 2, category: 'General', tickets: [] },
    });
    renderWithProviders(<HoldsAndWaitlists userId="customer-1" />, { user: customer });
    await userEvent.click(await screen.findByRole('button', { name: 'Confirm booking' }));
    expect(await screen.findByTestId('hold-booked')).toHaveTextContent('Booked: 2 × General.');
    expect(screen.queryByTestId('hold-item')).toBeNull();
  });

  it('shows nothing without holds or places', async () => {
    serveApi({ 'GET /users/customer-1/holds': page([hold({ status: 'released' })]), 'GET /users/customer-1/waitlist': page([]) });
    const { container, client } = renderWithProviders(<HoldsAndWaitlists userId="customer-1" />, { user: customer });
    await waitFor(() => {
      expect(client.getQueryState(holdKeys.mine('customer-1'))?.status).toBe('success');
      expect(client.getQueryState(holdKeys.places('customer-1'))?.status).toBe('success');
    });
    expect(container).toBeEmptyDOMElement();
  });
});

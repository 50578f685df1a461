import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';

import { PENDING, serveApi, type Call } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';
import type { Category, Hold, LedgerEvent, Place } from '@/types/api';

import { holdKeys } from '../api/query-keys';
import { holdLength, ReserveSeats } from './reserve-seats';

const customer = userOf('customer');
const categories: Category[] = [{ name: 'General', price: '25.00', capacity: 2, sold: 2, held: 0, waitlisted: 1, available: 0, hidden: false, reserved: 0 }];
const event = {
  id: 'e1', name: 'Gala', currency: 'EUR', hold_seconds: 300, categories, max_tickets_per_user: null,
} as unknown as LedgerEvent;
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const place: Place = {
  id: 'p1', event_id: 'e1', user_id: 'customer-1', category: 'General', quantity: 1, rank: 2, status: 'waiting',
  joined_at: '2030-01-01T10:00:00Z', hold_id: null,
};
const offer: Hold = {
  id: 'h9', event_id: 'e1', user_id: 'customer-1', category: 'General', quantity: 1, unit_price: '25.00', status: 'active',
  expires_at: inSeconds(300), offer: true, place_id: 'p1', booking_id: null,
};
const page = <T,>(items: T[]) => ({ items, next_cursor: null, position: 1 });

/** The event page's live stream, played by a button: each click is one more change at a later position. */
function WithStream({ onBooked = () => {} }: { onBooked?: () => void }) {
  const [position, setPosition] = useState(5);
  return (
    <>
      <button type="button" onClick={() => setPosition((p) => p + 1)}>stream changes</button>
      <ReserveSeats event={event} categories={categories} perUserLeft={null} livePosition={position} onBooked={onBooked} />
    </>
  );
}

const holdReads = (calls: Call[]) => calls.filter((c) => c.url === '/users/customer-1/holds');

describe('ReserveSeats', () => {
  it('shows the place on the waitlist, then the offer as soon as the live stream moves', async () => {
    let offered = false;
    serveApi({
      'GET /users/customer-1/holds': () => page(offered ? [offer] : []),
      'GET /users/customer-1/waitlist': () => page([offered ? { ...place, status: 'offered', rank: null, hold_id: 'h9' } : place]),
    });
    renderWithProviders(<WithStream />, { user: customer });
    expect(await screen.findByTestId('place-rank')).toHaveTextContent('You are #2 on the waitlist');
    expect(screen.getByRole('button', { name: 'Leave the waitlist' })).toBeInTheDocument();
    // On the only category's waitlist: nothing more to reserve or join.
    expect(screen.queryByRole('form', { name: 'Book tickets' })).toBeNull();

    offered = true; // the process manager offers the seats; the stream tells the event changed
    await userEvent.click(screen.getByRole('button', { name: 'stream changes' }));
    expect(await screen.findByRole('heading', { name: 'Seats are available for you' })).toBeInTheDocument();
    expect(screen.getByRole('timer')).toHaveTextContent(/^0[45]:\d\d$/);
    expect(screen.getByRole('button', { name: 'Decline' })).toBeInTheDocument();
  });

  it('confirms the offer, hands over the booking, and never offers that checkout again', async () => {
    const booking = { id: 'b1', quantity: 1, category: 'General', tickets: [] };
    let confirmed = false;
    serveApi({
      // Read again after the confirmation, the list has not answered yet (a page mounted now shows the cache).
      'GET /users/customer-1/holds': () => (confirmed ? PENDING : page([offer])),
      'GET /users/customer-1/waitlist': page([]),
      'POST /holds/h9/confirm': () => { confirmed = true; return booking; },
    });
    const onBooked = vi.fn();
    const { client } = renderWithProviders(<WithStream onBooked={onBooked} />, { user: customer });
    await userEvent.click(await screen.findByRole('button', { name: 'Confirm booking' }));
    await vi.waitFor(() => expect(onBooked).toHaveBeenCalledWith(booking));
    expect(client.getQueryData<Hold[]>(holdKeys.mine('customer-1'))?.[0]).toMatchObject({ status: 'confirmed', booking_id: 'b1' });
    expect(await screen.findByRole('form', { name: 'Book tickets' })).toBeInTheDocument();
  });

  it('leaves holds alone on live changes while not on a waitlist', async () => {
    const calls = serveApi({ 'GET /users/customer-1/holds': page([]), 'GET /users/customer-1/waitlist': page([]) });
    renderWithProviders(<WithStream />, { user: customer });
    expect(await screen.findByRole('button', { name: 'Join the waitlist' })).toBeInTheDocument();
    const before = holdReads(calls).length;
    await userEvent.click(screen.getByRole('button', { name: 'stream changes' }));
    await userEvent.click(screen.getByRole('button', { name: 'stream changes' }));
    expect(holdReads(calls)).toHaveLength(before);
  });

  it("resumes the user's hold on this event (a page reloaded at checkout)", async () => {
    serveApi({
      'GET /users/customer-1/holds': page([{ ...offer, offer: false, place_id: null }, { ...offer, id: 'old', status: 'expired' }]),
      'GET /users/customer-1/waitlist': page([]),
    });
    renderWithProviders(<WithStream />, { user: customer });
    expect(await screen.findByRole('heading', { name: 'Your seats are held' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Release' })).toBeInTheDocument();
  });
});

describe('holdLength', () => {
  it('says a hold length in minutes when whole, else seconds', () => {
    expect(holdLength(600)).toBe('10 minutes');
    expect(holdLength(60)).toBe('1 minute');
    expect(holdLength(90)).toBe('90 seconds');
  });
});

import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AxiosAdapter } from 'axios';
import { afterEach, describe, expect, it } from 'vitest';

import { api, positions } from '@/lib/api-client';
import { serveApi } from '@/testing/mock-api';
import { renderWithProviders } from '@/testing/test-utils';
import type { Booking } from '@/types/api';

import { MyBookings } from './my-bookings';

const booking: Booking = {
  id: 'b1', event_id: 'e1', user_id: 'u1', user_name: 'Ann', category: 'VIP', quantity: 2,
  unit_price: '40.00', total_amount: '80.00', status: 'confirmed', created_at: '2030-01-01T10:00:00Z', position: 5,
  lines: [{ category: 'VIP', quantity: 2, unit_price: '40.00' }],
  tickets: [{ code: 'CODE-ONE-1234', status: 'active', category: 'VIP' }, { code: 'CODE-TWO-5678', status: 'active', category: 'VIP' }],
};
const event = { id: 'e1', name: 'Gala', venue: 'Opera', starts_at: '2030-02-01T20:00:00Z', currency: 'EUR' };

/** A server in memory behind axios: the list, the event, and DELETE /bookings/b1. */
function serve(calls: string[]): AxiosAdapter {
  let current = booking;
  return async (config) => {
    const call = `${config.method?.toUpperCase()} ${config.url}`;
    calls.push(call);
    const reply = (data: unknown, headers: Record<string, string> = {}) => ({ data, status: 200, statusText: 'OK', headers, config });
    if (call === 'GET /users/u1/bookings') return reply({ items: [current], next_cursor: null });
    if (call === 'GET /events/e1') return reply(event);
    if (call === 'DELETE /bookings/b1') {
      current = { ...booking, status: 'cancelled', tickets: booking.tickets.map((t) => ({ ...t, status: 'cancelled' })) };
      return reply(current, { 'x-position': '9' });
    }
    throw new Error(`unexpected ${call}`);
  };
}

describe('MyBookings', () => {
  const original = api.defaults.adapter;
  afterEach(() => { api.defaults.adapter = original; positions.reset(); });

  it('shows what another feature adds about each booking (its invoices), given the booking and its event', async () => {
    api.defaults.adapter = serve([]);
    renderWithProviders(<MyBookings userId="u1" extra={(b, e) => <p data-testid="extra">{b.id} of {e?.name ?? '…'}</p>} />);
    const item = await screen.findByTestId('booking');
    expect(await within(item).findByText('b1 of Gala')).toBeInTheDocument();
  });

  it('shows codes and statuses, and cancels only after the confirmation step', async () => {
    const calls: string[] = [];
    api.defaults.adapter = serve(calls);
    renderWithProviders(<MyBookings userId="u1" />);

    const item = await screen.findByTestId('booking');
    expect(within(item).getByText('CODE-ONE-1234')).toBeInTheDocument();
    expect(await within(item).findByRole('link', { name: 'Gala' })).toBeInTheDocument();
    await userEvent.click(within(item).getByRole('button', { name: 'Cancel booking' }));
    expect(calls).not.toContain('DELETE /bookings/b1');

    await userEvent.click(screen.getByRole('button', { name: 'Keep it', hidden: true }));
    expect(calls).not.toContain('DELETE /bookings/b1');

    await userEvent.click(within(item).getByRole('button', { name: 'Cancel booking' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, cancel it', hidden: true }));
    expect(calls).toContain('DELETE /bookings/b1');
    expect(await within(item).findAllByText('cancelled', { selector: '.badge' })).toHaveLength(3); // booking + 2 tickets
    expect(within(item).queryByRole('button', { name: 'Cancel booking' })).not.toBeInTheDocument();
  });

  it('offers no Cancel for a booking whose ticket was checked in, and says why', async () => {
    const used: Booking = { ...booking, tickets: booking.tickets.map((t) => ({ ...t, status: 'used' })) };
    api.defaults.adapter = async (config) => ({
      data: config.url === '/events/e1' ? event : { items: [used], next_cursor: null }, status: 200, statusText: 'OK', headers: {}, config,
    });
    renderWithProviders(<MyBookings userId="u1" />);
    const item = await screen.findByTestId('booking');
    expect(within(item).getByTestId('checked-in')).toHaveTextContent('Its tickets were checked in: it can no longer be cancelled.');
    expect(within(item).queryByRole('button', { name: 'Cancel booking' })).not.toBeInTheDocument();
  });

  it('says which tickets an organizer cancelled, the rest still valid, and no refund where nothing was paid yet', async () => {
    const partly: Booking = { ...booking, tickets: [{ code: 'CODE-ONE-1234', status: 'cancelled', category: 'VIP' }, booking.tickets[1]!] };
    api.defaults.adapter = async (config) => ({
      data: config.url === '/events/e1' ? event : { items: [partly], next_cursor: null }, status: 200, statusText: 'OK', headers: {}, config,
    });
    renderWithProviders(<MyBookings userId="u1" />);
    const item = await screen.findByTestId('booking');
    expect(await within(item).findByTestId('refunded-tickets')).toHaveTextContent(/^1 ticket was cancelled; the other one stays valid\.$/);
    expect(within(item).queryByTestId('ticket-refund')).toBeNull();
    expect(within(item).getByRole('button', { name: 'Cancel booking' })).toBeInTheDocument();
    expect(within(item).getByTestId('payment-note')).toHaveTextContent(/Payment due: €\s?40\.00, at the door or by bank transfer/);
  });

  it('says a paid ticket cancelled by the organizer was refunded, in the words the organizer reads', async () => {
    const payment = { provider: 'stripe', amount: '80.00', currency: 'EUR', updated_at: '2030-01-01T10:00:00Z', message: null };
    const partly: Booking = {
      ...booking, payment: { ...payment, status: 'refunded', refunded: '40.00' },
      tickets: [{ code: 'CODE-ONE-1234', status: 'cancelled', category: 'VIP' }, booking.tickets[1]!],
    };
    serveApi({ 'GET /users/u1/bookings': { items: [partly], next_cursor: null }, 'GET /events/e1': event });
    renderWithProviders(<MyBookings userId="u1" />);
    const item = await screen.findByTestId('booking');
    expect(await within(item).findByTestId('refunded-tickets')).toHaveTextContent(/^1 ticket was cancelled \(€\s?40\.00 refunded\); the other one stays valid\.$/);
    const cancelled = within(item).getByText('CODE-ONE-1234').closest('li')!;
    expect(within(cancelled).getByText('cancelled', { selector: '.badge' })).toBeInTheDocument();
    expect(within(cancelled).getByTestId('ticket-refund')).toHaveTextContent(/^€\s?40\.00 refunded$/);
    expect(within(item).getByTestId('payment-note')).toHaveTextContent(/^Paid €\s?80\.00, €\s?40\.00 refunded\.$/);
  });

  it('shows an order across categories line by line, each ticket with its category, a refund at its line\'s price', async () => {
    const order: Booking = {
      ...booking, category: 'General', quantity: 3, unit_price: '25.00', total_amount: '130.00',
      payment: { provider: 'stripe', status: 'refunded', amount: '130.00', refunded: '80.00', currency: 'EUR', updated_at: '2030-01-01T10:00:00Z', message: null },
      lines: [{ category: 'General', quantity: 2, unit_price: '25.00' }, { category: 'VIP', quantity: 1, unit_price: '80.00' }],
      tickets: [
        { code: 'GEN-1', status: 'active', category: 'General' }, { code: 'GEN-2', status: 'active', category: 'General' },
        { code: 'VIP-1', status: 'cancelled', category: 'VIP' },
      ],
    };
    api.defaults.adapter = async (config) => ({
      data: config.url === '/events/e1' ? event : { items: [order], next_cursor: null }, status: 200, statusText: 'OK', headers: {}, config,
    });
    renderWithProviders(<MyBookings userId="u1" />);
    const item = await screen.findByTestId('booking');
    expect(within(item).getByTestId('booking-lines')).toHaveTextContent('2 × General, 1 × VIP');
    const lines = within(within(item).getByRole('table', { name: 'Seats by category' })).getAllByTestId('order-line');
    expect(lines.map((l) => l.textContent)).toEqual([expect.stringMatching(/^General2 × /), expect.stringMatching(/^VIP1 × /)]);
    expect(within(item).getAllByTestId('ticket-category').map((c) => c.textContent)).toEqual(['General', 'General', 'VIP']);
    expect(await within(item).findByTestId('refunded-tickets')).toHaveTextContent(/^1 ticket was cancelled \(€\s?80\.00 refunded\); the other 2 stay valid\.$/);
    // Cancelling the rest lists what still stands, and what comes back for it.
    await userEvent.click(within(item).getByRole('button', { name: 'Cancel booking' }));
    expect(screen.getByTestId('cancel-what')).toHaveTextContent(/^2 × General \(€\s?50\.00\)\. Its tickets stop working and the seats go back on sale\.$/);
    expect(screen.getByTestId('cancel-refund')).toHaveTextContent(/^You get €\s?50\.00 back\. This cannot be undone\.$/);
  });

  it('shows the price paid with a voucher beside the list price it lowered', async () => {
    const priced: Booking = {
      ...booking, unit_price: '32.00', total_amount: '64.00', list_total: '80.00',
      lines: [{ category: 'VIP', quantity: 2, unit_price: '32.00', list_price: '40.00' }],
    };
    api.defaults.adapter = async (config) => ({
      data: config.url === '/events/e1' ? event : { items: [priced], next_cursor: null }, status: 200, statusText: 'OK', headers: {}, config,
    });
    renderWithProviders(<MyBookings userId="u1" />);
    const item = await screen.findByTestId('booking');
    await within(item).findByRole('link', { name: 'Gala' }); // the event's currency known
    expect(within(item).getByTestId('booking-total')).toHaveTextContent(/^€\s?64\.00$/);
    expect(within(item).getByTestId('booking-list-total').tagName).toBe('S');
    expect(within(item).getByTestId('booking-list-total')).toHaveTextContent(/^was €\s?80\.00$/);
    expect(within(item).getByTestId('booking-saving')).toHaveTextContent(/€\s?16\.00 off with a voucher/);
    const [line] = within(within(item).getByRole('table', { name: 'Seats by category' })).getAllByTestId('order-line');
    expect(line).toHaveTextContent(/^VIP2 × was €\s?40\.00 now €\s?32\.00€\s?64\.00$/);
  });

  it('says a sales tax added on top: the price before it, the tax and the total with it', async () => {
    const taxed: Booking = {
      ...booking, unit_price: '10.89', total_amount: '21.78',
      lines: [{ category: 'VIP', quantity: 2, unit_price: '10.89', unit_tax: '0.89', tax_name: 'Sales tax', tax_rate: '8.875' }],
      taxes: [{ name: 'Sales tax', rate: '8.875', net: '20.00', tax: '1.78', gross: '21.78' }],
    };
    const taxedEvent = { ...event, currency: 'USD', taxes: [{ name: 'Sales tax', rate: '8.875', inclusive: false, categories: ['VIP'] }] };
    api.defaults.adapter = async (config) => ({
      data: config.url === '/events/e1' ? taxedEvent : { items: [taxed], next_cursor: null }, status: 200, statusText: 'OK', headers: {}, config,
    });
    renderWithProviders(<MyBookings userId="u1" />);
    const item = await screen.findByTestId('booking');
    await within(item).findByRole('link', { name: 'Gala' }); // the event's rules known
    expect(within(item).getByTestId('booking-total')).toHaveTextContent(/^\$\s?21\.78$/);
    expect(within(item).getByTestId('tax-line')).toHaveTextContent(/^Sales tax 8\.875 %: \$\s?20\.00 \+ \$\s?1\.78 = \$\s?21\.78$/);
  });

  it('shows no list price where no voucher applied', async () => {
    api.defaults.adapter = async (config) => ({
      data: config.url === '/events/e1' ? event : { items: [{ ...booking, list_total: '80.00' }], next_cursor: null }, status: 200, statusText: 'OK', headers: {}, config,
    });
    renderWithProviders(<MyBookings userId="u1" />);
    const item = await screen.findByTestId('booking');
    expect(within(item).getByTestId('booking-total')).toHaveTextContent(/80\.00/);
    expect(within(item).queryByTestId('booking-list-total')).toBeNull();
    expect(within(item).queryByRole('table', { name: 'Seats by category' })).toBeNull();
  });

  it('says a free booking, or one not paid yet, gives nothing back when cancelled', async () => {
    const free: Booking = { ...booking, id: 'b2', unit_price: '0.00', total_amount: '0.00', lines: [{ category: 'VIP', quantity: 2, unit_price: '0.00' }] };
    serveApi({ 'GET /users/u1/bookings': { items: [free, booking], next_cursor: null }, 'GET /events/e1': event });
    renderWithProviders(<MyBookings userId="u1" />);
    const [freeItem, unpaidItem] = await screen.findAllByTestId('booking');
    await userEvent.click(within(freeItem).getByRole('button', { name: 'Cancel booking' }));
    expect(screen.getByTestId('cancel-refund')).toHaveTextContent(/^It was free: there is nothing to refund\./);
    await userEvent.click(screen.getByRole('button', { name: 'Keep it', hidden: true }));
    await userEvent.click(within(unpaidItem).getByRole('button', { name: 'Cancel booking' }));
    expect(screen.getByTestId('cancel-refund')).toHaveTextContent(/^Nothing was paid for it, so nothing is refunded\./);
  });

  it('says what went back for a paid booking once cancelled, and nothing of a refund for a free one', async () => {
    const payment = { provider: 'stripe', amount: '80.00', currency: 'EUR', updated_at: '2030-01-01T10:00:00Z', message: null };
    const gone = (over: Partial<Booking>): Booking => ({ ...booking, status: 'cancelled', tickets: booking.tickets.map((t) => ({ ...t, status: 'cancelled' })), ...over });
    serveApi({
      'GET /users/u1/bookings': { items: [
        gone({ id: 'paid', payment: { ...payment, status: 'refunded', refunded: '80.00' } }),
        gone({ id: 'going', payment: { ...payment, status: 'refund_pending', refunded: '0.00' } }),
        gone({ id: 'free', total_amount: '0.00', unit_price: '0.00', lines: [{ category: 'VIP', quantity: 2, unit_price: '0.00' }] }),
      ], next_cursor: null },
      'GET /events/e1': event,
    });
    renderWithProviders(<MyBookings userId="u1" />);
    const [paid, going, free] = await screen.findAllByTestId('booking');
    expect(within(paid).getByTestId('booking-refund')).toHaveTextContent(/^\(€\s?80\.00 refunded\)$/);
    expect(within(going).getByTestId('booking-refund')).toHaveTextContent(/^\(€\s?80\.00 being refunded\)$/);
    expect(within(free).queryByTestId('booking-refund')).toBeNull();
    expect(free).not.toHaveTextContent(/refund/i);
  });

  it('invites to browse when there is nothing yet', async () => {
    api.defaults.adapter = async (config) => ({ data: { items: [], next_cursor: null }, status: 200, statusText: 'OK', headers: {}, config });
    renderWithProviders(<MyBookings userId="u1" />);
    expect(await screen.findByText('No bookings yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Browse events' })).toHaveAttribute('href', '/');
  });

  it('offers the proof of a booking a signed head covers, and says that of a new one comes shortly, asking once for both', async () => {
    const calls = serveApi({
      'GET /users/u1/bookings': { items: [{ ...booking, position: 3 }, { ...booking, id: 'b2', position: 12 }], next_cursor: null },
      'GET /events/e1': event,
      'GET /audit/checkpoints/latest': { tree_size: 10, root_hash: 'ab', timestamp: '2030-01-01T10:00:00Z', key_id: 'k1', signature: 's' },
    });
    renderWithProviders(<MyBookings userId="u1" />);
    const [first, second] = await screen.findAllByTestId('booking');
    expect(await within(first).findByRole('button', { name: 'Download proof of booking' })).toBeInTheDocument();
    expect(within(second).getByTestId('proof-soon')).toHaveTextContent('will be ready to download here shortly');
    expect(within(second).queryByRole('button', { name: /proof/ })).toBeNull();
    expect(calls.filter((c) => c.url === '/audit/checkpoints/latest')).toHaveLength(1);
  });
});

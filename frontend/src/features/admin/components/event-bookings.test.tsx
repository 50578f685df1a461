import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { PENDING, refuse, serveApi, type Call } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';
import type { Booking } from '@/types/api';

import { EventBookings } from './event-bookings';
import { UserBookings } from './user-bookings';

const booking = (over: Partial<Booking> = {}): Booking => ({
  id: 'b1', event_id: 'e1', user_id: 'u1', user_name: 'Ann', category: 'VIP', quantity: 2, unit_price: '40.00', total_amount: '80.00',
  lines: [{ category: 'VIP', quantity: 2, unit_price: '40.00' }],
  status: 'confirmed', tickets: [{ code: 'CODE-1', status: 'active', category: 'VIP' }], created_at: '2030-01-01T10:00:00Z', position: 5, ...over,
});
const organizer = userOf('organizer');
const paidByCard = (amount: string, over: Partial<NonNullable<Booking['payment']>> = {}): NonNullable<Booking['payment']> => ({
  provider: 'stripe', status: 'succeeded', amount, refunded: '0.00', currency: 'EUR', updated_at: '2030-01-01T10:00:00Z', message: null, ...over,
});

describe('EventBookings', () => {
  it('waits for the bookings', () => {
    serveApi({ 'GET /events/e1/bookings': PENDING });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    expect(screen.getByText(/Loading bookings/)).toBeInTheDocument();
  });

  it('says when there are none', async () => {
    serveApi({ 'GET /events/e1/bookings': { items: [], next_cursor: null } });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    expect(await screen.findByText('No bookings on this event yet')).toBeInTheDocument();
  });

  it('shows an error', async () => {
    serveApi({ 'GET /events/e1/bookings': refuse(404, 'EVENT_NOT_FOUND', 'No event e1') });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    expect(await screen.findByRole('alert')).toHaveTextContent('There is no such event');
  });

  it('shows beside the total of a booking priced by a voucher what it would have cost without it', async () => {
    serveApi({ 'GET /events/e1/bookings': { items: [
      booking({ unit_price: '32.00', total_amount: '64.00', list_total: '80.00', lines: [{ category: 'VIP', quantity: 2, unit_price: '32.00', list_price: '40.00' }] }),
      booking({ id: 'b2', list_total: '80.00' }),
    ], next_cursor: null } });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    expect(await screen.findByTestId('booking-b1')).toHaveTextContent(/€\s?64\.00€\s?80\.00 before its voucher/);
    expect(within(screen.getByTestId('booking-b2')).queryByTestId('booking-list-total')).toBeNull();
  });

  it("cancels a customer's booking only with a reason, which then shows", async () => {
    let current = booking();
    const calls = serveApi({
      'GET /events/e1/bookings': () => ({ items: [current], next_cursor: null }),
      'POST /bookings/b1/cancel': ({ data }: Call) => {
        current = { ...current, status: 'cancelled', cancelled_by: 'organizer', cancellation_reason: (data as { reason: string }).reason };
        return current;
      },
    });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    const row = await screen.findByTestId('booking-b1');
    expect(within(row).getByText(/€\s?80\.00/)).toBeInTheDocument();
    await userEvent.click(within(row).getByRole('button', { name: 'Cancel' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel the booking', hidden: true }));
    expect(screen.getByText('Say why: the customer reads it.')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await userEvent.type(screen.getByLabelText('Reason (the customer sees it)'), 'The venue moved');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel the booking', hidden: true }));
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.data).toEqual({ reason: 'The venue moved' }));
    expect(await within(row).findByTestId('cancellation')).toHaveTextContent('by the organizer: “The venue moved”');
    expect(within(row).queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('offers neither Cancel nor a refund of the ticket checked in, and says why; the other ticket is still refunded', async () => {
    serveApi({
      'GET /events/e1/bookings': {
        items: [booking({ payment: paidByCard('80.00'), tickets: [{ code: 'CODE-1', status: 'used', category: 'VIP' }, { code: 'CODE-2', status: 'active', category: 'VIP' }] })],
        next_cursor: null,
      },
    });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    const row = await screen.findByTestId('booking-b1');
    expect(within(row).getByTestId('checked-in')).toHaveTextContent('1 of its tickets was checked in: it can no longer be cancelled.');
    expect(within(row).queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(within(row).queryByRole('button', { name: 'Refund ticket CODE-1' })).toBeNull();
    expect(within(row).getByRole('button', { name: 'Refund ticket CODE-2' })).toBeInTheDocument();
  });

  it('refunds one ticket with a reason, and says how its refund stands in the words the buyer reads', async () => {
    let current = booking({ payment: paidByCard('80.00'), tickets: [{ code: 'CODE-1', status: 'active', category: 'VIP' }, { code: 'CODE-2', status: 'active', category: 'VIP' }] });
    const calls = serveApi({
      'GET /events/e1/bookings': () => ({ items: [current], next_cursor: null }),
      'POST /bookings/b1/refunds': ({ data }: Call) => {
        current = { ...current, payment: paidByCard('80.00', { status: 'refunded', refunded: '40.00' }),
          tickets: [{ code: 'CODE-1', status: 'cancelled', category: 'VIP' }, { code: 'CODE-2', status: 'active', category: 'VIP' }] };
        const { tickets } = data as { tickets: string[] };
        return { booking: current, tickets, amount: '40.00', currency: 'EUR', status: 'refunded', position: 7 };
      },
    });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    const row = await screen.findByTestId('booking-b1');
    await userEvent.click(within(row).getByRole('button', { name: 'Refund ticket CODE-1' }));
    expect(screen.getByText(/Ann: ticket/)).toHaveTextContent(/VIP, €\s?40\.00/);
    await userEvent.type(screen.getByLabelText('Reason (the customer sees it)'), 'Seat broken');
    await userEvent.click(screen.getByRole('button', { name: 'Refund the ticket', hidden: true }));
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.data).toEqual({ tickets: ['CODE-1'], reason: 'Seat broken' }));
    expect(await screen.findByTestId('refund-outcome')).toHaveTextContent(/Ticket CODE-1 refunded: €\s?40\.00 given back/);
    const ticket = (await within(row).findByText('CODE-1')).closest('.mini-ticket') as HTMLElement;
    await waitFor(() => expect(within(ticket).getByText('cancelled', { selector: '.badge' })).toBeInTheDocument());
    expect(within(ticket).getByTestId('ticket-refund')).toHaveTextContent(/^€\s?40\.00 refunded$/);
    expect(within(row).queryByText('refunded', { selector: '.badge' })).toBeNull();
    expect(within(row).queryByRole('button', { name: 'Refund ticket CODE-1' })).toBeNull();
    expect(within(row).getByRole('button', { name: 'Refund ticket CODE-2' })).toBeInTheDocument();
  });

  it('shows the lines of an order across categories; a ticket is refunded at its own line\'s price', async () => {
    const order = booking({
      category: 'General', quantity: 3, unit_price: '25.00', total_amount: '130.00', payment: paidByCard('130.00'),
      lines: [{ category: 'General', quantity: 2, unit_price: '25.00' }, { category: 'VIP', quantity: 1, unit_price: '80.00' }],
      tickets: [
        { code: 'GEN-1', status: 'active', category: 'General' }, { code: 'GEN-2', status: 'active', category: 'General' },
        { code: 'VIP-1', status: 'active', category: 'VIP' },
      ],
    });
    serveApi({ 'GET /events/e1/bookings': { items: [order], next_cursor: null } });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    const row = await screen.findByTestId('booking-b1');
    expect(within(row).getAllByTestId('booking-line').map((l) => l.textContent))
      .toEqual([expect.stringMatching(/^General × 2 at €\s?25\.00$/), expect.stringMatching(/^VIP × 1 at €\s?80\.00$/)]);
    expect(within(row).getAllByTestId('ticket-category').map((c) => c.textContent)).toEqual(['General', 'General', 'VIP']);
    await userEvent.click(within(row).getByRole('button', { name: 'Refund ticket VIP-1' }));
    expect(screen.getByText(/Ann: ticket/)).toHaveTextContent(/ticket VIP-1 \(VIP, €\s?80\.00\)/);
    await userEvent.click(screen.getByRole('button', { name: 'Keep it', hidden: true }));
    await userEvent.click(within(row).getByRole('button', { name: 'Refund ticket GEN-2' }));
    expect(screen.getByText(/Ann: ticket/)).toHaveTextContent(/ticket GEN-2 \(General, €\s?25\.00\)/);
  });

  it('offers no Refund of a free ticket, nor of one not paid yet: it is cancelled, nothing going back', async () => {
    let current = booking({
      id: 'b1', total_amount: '0.00', unit_price: '0.00', lines: [{ category: 'VIP', quantity: 2, unit_price: '0.00' }],
      tickets: [{ code: 'FREE-1', status: 'active', category: 'VIP' }, { code: 'FREE-2', status: 'active', category: 'VIP' }],
    });
    const calls = serveApi({
      'GET /events/e1/bookings': () => ({ items: [current, booking({ id: 'b2', tickets: [{ code: 'OWED-1', status: 'active', category: 'VIP' }] })], next_cursor: null }),
      'POST /bookings/b1/refunds': () => {
        current = { ...current, tickets: [{ code: 'FREE-1', status: 'cancelled', category: 'VIP' }, current.tickets[1]!] };
        return { booking: current, tickets: ['FREE-1'], amount: '0.00', currency: 'EUR', status: 'refunded', position: 7 };
      },
    });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    const free = await screen.findByTestId('booking-b1');
    expect(screen.queryByRole('button', { name: /^Refund/ })).toBeNull();
    expect(within(screen.getByTestId('booking-b2')).getByRole('button', { name: 'Cancel ticket OWED-1' })).toHaveTextContent('Cancel ticket');
    await userEvent.click(within(free).getByRole('button', { name: 'Cancel ticket FREE-1' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel this ticket?', hidden: true });
    expect(dialog).toHaveTextContent('nothing was paid for it, so nothing is refunded');
    expect(dialog).not.toHaveTextContent('its price is refunded');
    await userEvent.type(screen.getByLabelText('Reason (the customer sees it)'), 'Double booking');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel the ticket', hidden: true }));
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.data).toEqual({ tickets: ['FREE-1'], reason: 'Double booking' }));
    expect(await screen.findByTestId('refund-outcome')).toHaveTextContent('Ticket FREE-1 cancelled: nothing was paid for it, so nothing goes back.');
    expect(within(free).queryByTestId('ticket-refund')).toBeNull();
  });

  it("says what cancelling a booking gives back: what still stands of it once paid, nothing when free", async () => {
    serveApi({
      'GET /events/e1/bookings': { items: [
        booking({ id: 'b1', payment: paidByCard('80.00', { status: 'refunded', refunded: '40.00' }),
          tickets: [{ code: 'CODE-1', status: 'cancelled', category: 'VIP' }, { code: 'CODE-2', status: 'active', category: 'VIP' }] }),
        booking({ id: 'b2', total_amount: '0.00', unit_price: '0.00', lines: [{ category: 'VIP', quantity: 1, unit_price: '0.00' }] }),
      ], next_cursor: null },
    });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    await userEvent.click(within(await screen.findByTestId('booking-b1')).getByRole('button', { name: 'Cancel' }));
    expect(screen.getByText(/^Ann: 1 × VIP\./)).toHaveTextContent(/^Ann: 1 × VIP\. Its ticket stops working and the seat goes back on sale; €\s?40\.00 is refunded to the customer\./);
    await userEvent.click(screen.getByRole('button', { name: 'Keep it', hidden: true }));
    await userEvent.click(within(screen.getByTestId('booking-b2')).getByRole('button', { name: 'Cancel' }));
    expect(screen.getByText(/^Ann: 1 × VIP\./)).toHaveTextContent('nothing was paid, so nothing is refunded');
  });

  it("shows each booking's payment, and a refund that failed with the provider's reason", async () => {
    const payment = { provider: 'stripe', amount: '80.00', currency: 'EUR', updated_at: '2030-01-01T10:00:00Z', message: null };
    serveApi({
      'GET /events/e1/bookings': {
        items: [
          booking({ id: 'b1', payment: { ...payment, status: 'refunded', refunded: '40.00' } }),
          booking({ id: 'b2', payment: { ...payment, status: 'refund_failed', refunded: '0.00', message: 'The charge was disputed' } }),
          booking({ id: 'b3' }),
        ],
        next_cursor: null,
      },
    });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    expect(within(await screen.findByTestId('booking-b1')).getByTestId('payment')).toHaveTextContent(/Paid €\s?80\.00, €\s?40\.00 refunded/);
    expect(within(screen.getByTestId('booking-b2')).getByTestId('payment')).toHaveTextContent('Refund failed: The charge was disputed (tried again)');
    expect(within(screen.getByTestId('booking-b3')).getByTestId('payment')).toHaveTextContent('Payment due');
  });

  it('asks the provider again for a refund it refused', async () => {
    const payment = { provider: 'stripe', amount: '80.00', currency: 'EUR', updated_at: '2030-01-01T10:00:00Z' };
    let current = booking({ status: 'cancelled', payment: { ...payment, status: 'refund_failed', refunded: '0.00', message: 'Try later' } });
    const calls = serveApi({
      'GET /events/e1/bookings': () => ({ items: [current], next_cursor: null }),
      'POST /bookings/b1/payment/refund-retry': () => {
        current = { ...current, payment: { ...payment, status: 'refunded', refunded: '80.00', message: null } };
        return { status: 'refunded' };
      },
    });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    const row = await screen.findByTestId('booking-b1');
    await userEvent.click(within(row).getByRole('button', { name: 'Ask again now' }));
    await waitFor(() => expect(calls.some((c) => c.url === '/bookings/b1/payment/refund-retry')).toBe(true));
    expect(await within(row).findByText(/Paid €\s?80\.00, €\s?80\.00 refunded/)).toBeInTheDocument();
  });

  it('marks a booking paid at the door or by transfer', async () => {
    const paid = { provider: 'offline', amount: '80.00', currency: 'EUR', updated_at: '2030-01-01T10:00:00Z', message: null, refunded: '0.00' };
    let current = booking();
    const calls = serveApi({
      'GET /events/e1/bookings': () => ({ items: [current], next_cursor: null }),
      'POST /bookings/b1/payment': () => {
        current = { ...current, payment: { ...paid, status: 'succeeded' } };
        return { booking_id: 'b1', status: 'succeeded', provider: 'offline', method: 'bank_transfer', amount: '80.00', refunded: '0.00', currency: 'EUR', position: 8 };
      },
      'POST /bookings/b1/payment/refund': () => {
        current = { ...current, payment: { ...paid, status: 'refunded', refunded: '80.00' } };
        return { booking_id: 'b1', status: 'refunded', provider: 'offline', method: 'bank_transfer', amount: '80.00', refunded: '80.00', currency: 'EUR', position: 9 };
      },
    });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    const row = await screen.findByTestId('booking-b1');
    expect(within(row).getByTestId('payment')).toHaveTextContent('Payment due');
    await userEvent.click(within(row).getByRole('button', { name: 'Mark paid' }));
    await userEvent.selectOptions(screen.getByLabelText('How it was paid'), 'bank_transfer');
    await userEvent.type(screen.getByLabelText(/Reference/), 'TR-42');
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Mark this booking paid?', hidden: true })).getByRole('button', { name: 'Mark paid', hidden: true }));
    await waitFor(() => expect(calls.find((c) => c.url === '/bookings/b1/payment')?.data).toEqual({ method: 'bank_transfer', reference: 'TR-42' }));
    expect(await within(row).findByText(/Paid €\s?80\.00 at the door or by transfer/)).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: 'Mark paid' })).toBeNull();
  });

  it('shows a booking awaiting its bank transfer with its reference, and marks the money received', async () => {
    const awaited = { provider: 'offline', amount: '80.00', currency: 'EUR', updated_at: '2030-01-01T10:00:00Z', message: null,
      refunded: '0.00', status: 'awaiting_payment' as const, reference: 'BT-ABCD2345' };
    let current = booking({ payment: awaited });
    const calls = serveApi({
      'GET /events/e1/bookings': () => ({ items: [current], next_cursor: null }),
      'POST /bookings/b1/payment': () => {
        current = { ...current, payment: { ...awaited, status: 'succeeded', reference: null } };
        return { booking_id: 'b1', status: 'succeeded', provider: 'offline', method: 'bank_transfer', amount: '80.00', refunded: '0.00', currency: 'EUR', position: 8 };
      },
    });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    const row = await screen.findByTestId('booking-b1');
    expect(within(row).getByTestId('payment')).toHaveTextContent(/Awaiting payment: €\s?80\.00 by bank transfer, reference BT-ABCD2345/);
    await userEvent.click(within(row).getByRole('button', { name: 'Mark received' }));
    expect(screen.getByLabelText('How it was paid')).toHaveValue('bank_transfer');
    expect(screen.getByLabelText(/Reference/)).toHaveValue('BT-ABCD2345');
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Mark this booking paid?', hidden: true })).getByRole('button', { name: 'Mark paid', hidden: true }));
    await waitFor(() => expect(calls.find((c) => c.url === '/bookings/b1/payment')?.data).toEqual({ method: 'bank_transfer', reference: 'BT-ABCD2345' }));
    expect(await within(row).findByText(/Paid €\s?80\.00 at the door or by transfer/)).toBeInTheDocument();
  });

  it('says a booking cancelled before its transfer came owes nothing, with nothing to mark', async () => {
    const awaited = { provider: 'offline', amount: '80.00', currency: 'EUR', updated_at: '2030-01-01T10:00:00Z', message: null,
      refunded: '0.00', status: 'awaiting_payment' as const, reference: 'BT-ABCD2345' };
    serveApi({ 'GET /events/e1/bookings': { items: [booking({ status: 'cancelled', payment: awaited })], next_cursor: null } });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    const row = await screen.findByTestId('booking-b1');
    expect(within(row).getByTestId('payment')).toHaveTextContent('Not paid (reference BT-ABCD2345): nothing to give back');
    expect(within(row).queryByRole('button', { name: 'Mark received' })).toBeNull();
  });

  it('marks the refund of a payment taken by hand given back', async () => {
    const owed = { provider: 'offline', amount: '80.00', currency: 'EUR', updated_at: '2030-01-01T10:00:00Z', message: null, refunded: '0.00' };
    let current = booking({ status: 'cancelled', payment: { ...owed, status: 'refund_pending' } });
    const calls = serveApi({
      'GET /events/e1/bookings': () => ({ items: [current], next_cursor: null }),
      'POST /bookings/b1/payment/refund': () => {
        current = { ...current, payment: { ...owed, status: 'refunded', refunded: '80.00' } };
        return { booking_id: 'b1', status: 'refunded', provider: 'offline', method: 'door', amount: '80.00', refunded: '80.00', currency: 'EUR', position: 9 };
      },
    });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    const row = await screen.findByTestId('booking-b1');
    expect(within(row).getByTestId('payment')).toHaveTextContent('a refund is yours to give back');
    await userEvent.click(within(row).getByRole('button', { name: 'Mark given back' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Mark the refund given back?', hidden: true })).getByRole('button', { name: 'Mark given back', hidden: true }));
    await waitFor(() => expect(calls.some((c) => c.url === '/bookings/b1/payment/refund')).toBe(true));
    expect(await within(row).findByText(/Paid €\s?80\.00, €\s?80\.00 refunded/)).toBeInTheDocument();
  });

  it('keeps the dialog open with the reason when the server has no such endpoint yet', async () => {
    serveApi({ 'GET /events/e1/bookings': { items: [booking()], next_cursor: null } });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    await userEvent.type(screen.getByLabelText('Reason (the customer sees it)'), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel the booking', hidden: true }));
    expect(await screen.findByText(/does not offer this yet/)).toBeInTheDocument();
  });
});

describe('EventBookings: an organizer forgets a buyer', () => {
  const ERASURE = { person_id: 'u1', by: 'org', reason: 'asked_of_organizer', erased_at: '2030-01-02T10:00:00Z', position: 9 };
  const forgetOf = (name: string) => ({ name: `Forget this buyer (${name})` });

  it('offers it per buyer not erased yet, to organizers only (an admin erases from Users)', async () => {
    const page = { items: [booking(), booking({ id: 'b2', user_id: 'u2', user_name: 'erased' })], next_cursor: null };
    serveApi({ 'GET /events/e1/bookings': page });
    const { unmount } = renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    expect(within(await screen.findByTestId('booking-b1')).getByRole('button', forgetOf('Ann'))).toBeInTheDocument();
    expect(within(screen.getByTestId('booking-b2')).queryByRole('button', { name: /Forget this buyer/ })).toBeNull();
    unmount();
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: userOf('admin') });
    await screen.findByTestId('booking-b1');
    expect(screen.queryByRole('button', { name: /Forget this buyer/ })).toBeNull();
  });

  it('asks first, saying what is forgotten and what stays; Not now has the focus and gives it back', async () => {
    const calls = serveApi({ 'GET /events/e1/bookings': { items: [booking()], next_cursor: null } });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    const opener = await screen.findByRole('button', forgetOf('Ann'));
    await userEvent.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Forget Ann?', hidden: true });
    expect(dialog).toHaveTextContent('Their name and e-mail address are forgotten everywhere');
    expect(dialog).toHaveTextContent('Their bookings, tickets, payments and invoices stay, naming nobody');
    expect(dialog).toHaveTextContent('one who also bought from other organizers is an admin’s to erase');
    expect(within(dialog).getByRole('button', { name: 'Not now', hidden: true })).toHaveFocus();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Not now', hidden: true }));
    await waitFor(() => expect(dialog).not.toHaveAttribute('open'));
    expect(opener).toHaveFocus();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('keeps the dialog open with the refusal in words when the buyer bought from others too', async () => {
    serveApi({
      'GET /events/e1/bookings': { items: [booking()], next_cursor: null },
      'POST /organizers/me/buyers/u1/erasure': refuse(409, 'PERSON_BUYS_FROM_OTHERS', 'This person also bought for events other organizers run'),
    });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    await userEvent.click(await screen.findByRole('button', forgetOf('Ann')));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, forget them', hidden: true }));
    const refusal = await screen.findByRole('alert', { hidden: true });
    expect(refusal).toHaveTextContent('Not forgotten');
    expect(refusal).toHaveTextContent('ask an admin to erase them');
    expect(screen.getByRole('dialog', { name: 'Forget Ann?', hidden: true })).toHaveAttribute('open');
  });

  it('forgets on Yes, says so with the focus, and the bookings read "erased"', async () => {
    let forgotten = false;
    const calls = serveApi({
      'GET /events/e1/bookings': () => ({ items: [booking(forgotten ? { user_name: 'erased' } : {})], next_cursor: null }),
      'POST /organizers/me/buyers/u1/erasure': () => { forgotten = true; return ERASURE; },
    });
    renderWithProviders(<EventBookings eventId="e1" currency="EUR" />, { user: organizer });
    await userEvent.click(await screen.findByRole('button', forgetOf('Ann')));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, forget them', hidden: true }));
    const notice = await screen.findByText('Ann was forgotten: their bookings now read “erased”.');
    await waitFor(() => expect(notice.closest('[tabindex="-1"]')).toHaveFocus());
    await waitFor(() => expect(screen.getByTestId('booking-b1')).toHaveTextContent('erased'));
    expect(screen.queryByRole('button', { name: /Forget this buyer/ })).toBeNull();
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/organizers/me/buyers/u1/erasure']);
  });
});

describe('UserBookings', () => {
  it("lists a user's bookings with their events, page by page", async () => {
    const calls = serveApi({
      'GET /users/u1/bookings': ({ params }: Call) => (params.cursor ? { items: [booking({ id: 'b2' })], next_cursor: null } : { items: [booking()], next_cursor: 'c1' }),
      'GET /events/e1': { id: 'e1', name: 'Gala', currency: 'GBP' },
    });
    renderWithProviders(<UserBookings userId="u1" />, { user: userOf('admin') });
    expect(await screen.findByRole('link', { name: 'Gala' })).toHaveAttribute('href', '/events/e1');
    expect(await screen.findByText(/£\s?80\.00/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'More bookings' }));
    expect(await screen.findByTestId('booking-b2')).toBeInTheDocument();
    expect(calls.filter((c) => c.url === '/users/u1/bookings').at(-1)?.params).toMatchObject({ cursor: 'c1' });
  });

  it('says when the user has none', async () => {
    serveApi({ 'GET /users/u1/bookings': { items: [], next_cursor: null } });
    renderWithProviders(<UserBookings userId="u1" />, { user: userOf('admin') });
    expect(await screen.findByText('This user has no bookings')).toBeInTheDocument();
  });
});

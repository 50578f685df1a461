import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { closedReason, eventPhase } from '@/lib/event-phase';
import { PENDING, refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';
import type { LedgerEvent } from '@/types/api';

import { EventDetails, type CheckoutSlot } from './event-details';

const event = (over: Partial<LedgerEvent> = {}): LedgerEvent => ({
  id: 'e1', name: 'Gala', description: 'Jazz', venue: 'Opera', starts_at: '2999-02-01T20:00:00Z', ends_at: null, currency: 'EUR',
  status: 'active', categories: [{ name: 'General', price: '10.00', capacity: 10, sold: 0, held: 0, waitlisted: 0, available: 10, hidden: false, reserved: 0 }], total_seats: 10,
  available_seats: 10, max_tickets_per_user: null, created_at: '2030-01-01T10:00:00Z', organizer_id: null, organizer_name: null,
  co_organizers: [], timezone: 'UTC', published: true, ...over,
});
const customer = userOf('customer');
const checkout = ({ event: e, categories, perUserLeft }: CheckoutSlot) => (
  <p data-testid="checkout">{e.name}: {categories.map((c) => c.name).join(', ')}, {perUserLeft} more</p>
);
const bookings = { items: [], next_cursor: null };

describe('EventDetails', () => {
  it('names an erased organizer "erased" in the reader’s language', async () => {
    serveApi({
      'GET /events/e1': event({ organizer_id: 'gone', organizer_name: 'erased', co_organizers: [{ id: 'co', name: 'erased' }] }),
      'GET /users/customer-1/bookings': bookings,
    });
    renderWithProviders(<EventDetails eventId="e1" checkout={checkout} />, { user: { ...customer, language: 'de' } });
    await waitFor(() => expect(screen.getByTestId('organizer')).toHaveTextContent(/gelöscht.*gelöscht/));
    expect(screen.getByTestId('organizer')).not.toHaveTextContent('erased');
  });

  it("shows the start in the venue's zone with its label", async () => {
    serveApi({ 'GET /events/e1': event({ starts_at: '2999-02-01T20:00:00Z', timezone: 'Europe/London' }), 'GET /users/customer-1/bookings': bookings });
    renderWithProviders(<EventDetails eventId="e1" checkout={checkout} />, { user: customer });
    expect(await screen.findByTestId('event-time')).toHaveTextContent(/^\w{3}, .*2999, (20:00|8:00 PM) UTC\+0 \(London/);
  });

  it('shows a draft with its badge, books nothing, and offers its organizer the Publish button', async () => {
    const organizer = userOf('organizer');
    const calls = serveApi({
      'GET /events/e1': event({ published: false, organizer_id: organizer.id, organizer_name: 'Org' }),
      'GET /users/organizer-1/bookings': bookings,
      'POST /events/e1/publish': event({ published: true }),
    });
    renderWithProviders(<EventDetails eventId="e1" checkout={checkout} />, { user: organizer });
    expect(await screen.findByText('Draft')).toBeInTheDocument();
    expect(screen.getByTestId('closed-reason')).toHaveTextContent('A draft: not on sale until it is published.');
    expect(screen.queryByTestId('checkout')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url === '/events/e1/publish')).toBe(true));
  });

  it("schedules a draft's publication in the venue's time, shows it, and withdraws it", async () => {
    const organizer = userOf('organizer');
    let current = event({ published: false, organizer_id: organizer.id, organizer_name: 'Org', timezone: 'Europe/London' });
    const calls = serveApi({
      'GET /events/e1': () => current,
      'GET /users/organizer-1/bookings': bookings,
      'PUT /events/e1/publication': ({ data }: { data: unknown }) => {
        current = { ...current, publish_at: (data as { publish_at: string | null }).publish_at };
        return current;
      },
    });
    renderWithProviders(<EventDetails eventId="e1" checkout={checkout} />, { user: organizer });
    await userEvent.click(await screen.findByRole('button', { name: 'Schedule' }));
    expect(screen.getByText('Choose when it goes on sale.')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Or on sale at (venue time)'), '2999-01-20T10:00');
    await userEvent.click(screen.getByRole('button', { name: 'Schedule' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'PUT')?.data).toEqual({ publish_at: '2999-01-20T10:00:00.000Z' }));
    expect(await screen.findByTestId('publish-at')).toHaveTextContent(/Goes on sale by itself on .*2999, (10:00|10:00 AM) UTC\+0 \(London/);
    await userEvent.click(screen.getByRole('button', { name: 'Withdraw the schedule' }));
    await waitFor(() => expect(screen.queryByTestId('publish-at')).toBeNull());
    expect(calls.filter((c) => c.method === 'PUT').at(-1)?.data).toEqual({ publish_at: null });
  });

  it('offers no Publish button to someone who does not run the draft', async () => {
    serveApi({ 'GET /events/e1': event({ published: false }), 'GET /users/customer-1/bookings': bookings });
    renderWithProviders(<EventDetails eventId="e1" checkout={checkout} />, { user: customer });
    expect(await screen.findByText('Draft')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Publish' })).toBeNull();
  });

  it('says a limit of one ticket per person in the singular', async () => {
    serveApi({ 'GET /events/e1': event({ max_tickets_per_user: 1 }), 'GET /users/customer-1/bookings': bookings });
    renderWithProviders(<EventDetails eventId="e1" checkout={checkout} />, { user: customer });
    expect(await screen.findByText('Limit: 1 ticket per person.')).toBeInTheDocument();
  });

  it('waits for the event', () => {
    serveApi({ 'GET /events/e1': PENDING, 'GET /users/customer-1/bookings': bookings });
    renderWithProviders(<EventDetails eventId="e1" />, { user: customer });
    expect(screen.getByText(/Loading the event/)).toBeInTheDocument();
  });

  it('shows why the event cannot be read', async () => {
    serveApi({ 'GET /events/e1': refuse(404, 'EVENT_NOT_FOUND', 'No event e1'), 'GET /users/customer-1/bookings': bookings });
    renderWithProviders(<EventDetails eventId="e1" />, { user: customer });
    expect(await screen.findByRole('alert')).toHaveTextContent('There is no such event');
  });

  it('gives the checkout the event, its categories and the per-user allowance while the event is on sale', async () => {
    serveApi({ 'GET /events/e1': event({ max_tickets_per_user: 4 }), 'GET /users/customer-1/bookings': bookings });
    renderWithProviders(<EventDetails eventId="e1" checkout={checkout} />, { user: customer });
    expect(await screen.findByTestId('checkout')).toHaveTextContent('Gala: General, 4 more');
  });

  it("says each category's tax beside its price, from the rule's name and rate, and none for an untaxed one", async () => {
    const categories = [
      { name: 'General', price: '10.00', capacity: 10, sold: 0, held: 0, waitlisted: 0, available: 10, hidden: false, reserved: 0 },
      { name: 'VIP', price: '50.00', capacity: 4, sold: 0, held: 0, waitlisted: 0, available: 4, hidden: false, reserved: 0 },
      { name: 'Programme', price: '5.00', capacity: 4, sold: 0, held: 0, waitlisted: 0, available: 4, hidden: false, reserved: 0 },
    ];
    const taxes = [
      { name: 'VAT', rate: '20', inclusive: true, categories: ['General'] },
      { name: 'sales tax', rate: '8.875', inclusive: false, categories: ['VIP'] },
    ];
    serveApi({ 'GET /events/e1': event({ categories, taxes }), 'GET /users/customer-1/bookings': bookings });
    renderWithProviders(<EventDetails eventId="e1" checkout={checkout} />, { user: customer });
    expect(await screen.findByTestId('tax-General')).toHaveTextContent(/^incl\. 20 % VAT$/);
    expect(screen.getByTestId('tax-VIP')).toHaveTextContent(/^\+ 8\.875 % sales tax$/);
    expect(screen.queryByTestId('tax-Programme')).toBeNull();
  });

  it('shows the seats held at checkout and waited for beside each category', async () => {
    const categories = [{ name: 'General', price: '10.00', capacity: 10, sold: 5, held: 3, waitlisted: 4, available: 0, hidden: false, reserved: 0 }];
    serveApi({ 'GET /events/e1': event({ categories }), 'GET /users/customer-1/bookings': bookings });
    renderWithProviders(<EventDetails eventId="e1" checkout={checkout} />, { user: customer });
    expect(await screen.findByTestId('left-General')).toHaveTextContent(/^Sold out$/);
    expect(screen.getByTestId('demand-General')).toHaveTextContent('3 held at checkout · 4 on the waitlist');
  });

  it.each([
    [{ starts_at: '2020-01-01T20:00:00Z' }, 'This event has started: booking is closed.'],
    [{ starts_at: '2020-01-01T20:00:00Z', ends_at: '2020-01-01T23:00:00Z' }, 'This event has ended; it cannot be booked.'],
    [{ status: 'completed' as const }, 'This event has ended; it cannot be booked.'],
    [{ status: 'cancelled' as const }, 'This event was cancelled; it cannot be booked.'],
  ])('shows no booking form for %o but says why', async (over, why) => {
    serveApi({ 'GET /events/e1': event(over), 'GET /users/customer-1/bookings': bookings });
    renderWithProviders(<EventDetails eventId="e1" checkout={checkout} />, { user: customer });
    expect(await screen.findByTestId('closed-reason')).toHaveTextContent(why);
    expect(screen.queryByTestId('checkout')).toBeNull();
  });
});

describe('eventPhase', () => {
  it('tells on sale, started, ended and cancelled apart', () => {
    const now = new Date('2030-06-01T12:00:00Z');
    expect(eventPhase({ status: 'active', starts_at: '2030-06-02T00:00:00Z', ends_at: null }, now)).toBe('on-sale');
    expect(eventPhase({ status: 'active', starts_at: '2030-06-01T10:00:00Z', ends_at: null }, now)).toBe('started');
    expect(eventPhase({ status: 'active', starts_at: '2030-06-01T10:00:00Z', ends_at: '2030-06-01T11:00:00Z' }, now)).toBe('ended');
    expect(closedReason('on-sale')).toBeNull();
  });
});

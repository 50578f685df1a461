import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders } from '@/testing/test-utils';
import type { Booking, Hold } from '@/types/api';

import { CheckoutPanel } from './checkout-panel';
import { TransferPayment } from './transfer-payment';

const hold = {
  id: 'h1', event_id: 'e1', user_id: 'customer-1', category: 'General', quantity: 2, unit_price: '25.00', status: 'active',
  expires_at: new Date(Date.now() + 600_000).toISOString(), offer: false, place_id: null, booking_id: null,
} as Hold;
const booking = { id: 'b1234567-aaaa', event_id: 'e1', total_amount: '50.00', status: 'confirmed', tickets: [] } as unknown as Booking;
const awaiting = {
  payment_id: 'p1', hold_id: 'h1', event_id: 'e1', status: 'awaiting_payment', amount: '50.00', currency: 'EUR',
  provider: 'offline', intent_id: 'bank_transfer:BT-ABCD2345', client_secret: null, booking_id: 'b1234567-aaaa',
  refunded: '0.00', message: null, reference: 'BT-ABCD2345', position: 7,
};
const methods = { items: [
  { name: 'stripe', label: 'Card', by_default: true, books_seats_first: false },
  { name: 'offline', label: 'Bank transfer', by_default: false, books_seats_first: true },
] };
const cards = { provider: 'stripe', publishable_key: 'pk', js_url: 'http://stripe.test/never/v3/' };

describe('TransferPayment', () => {
  it('books the hold at once and hands its booking on, owed, to be confirmed with the reference', async () => {
    const calls = serveApi({ 'POST /holds/h1/payment': awaiting, 'GET /bookings/b1234567-aaaa': booking });
    const onBooked = vi.fn();
    renderWithProviders(<TransferPayment hold={hold} method={{ name: 'offline', label: 'Bank transfer' }}
      currency="EUR" total={50} onBooked={onBooked} />);
    await userEvent.click(screen.getByRole('button', { name: 'Book and pay by bank transfer' }));

    await waitFor(() => expect(onBooked).toHaveBeenCalledWith(booking));
    expect(calls.find((c) => c.method === 'POST')?.data).toEqual({ method: 'offline' });
  });

  it('shows a refusal, the hold still there to try again', async () => {
    serveApi({ 'POST /holds/h1/payment': refuse(409, 'PAYMENT_METHOD_NOT_ACCEPTED') });
    renderWithProviders(<TransferPayment hold={hold} method={{ name: 'offline', label: 'Bank transfer' }}
      currency="EUR" total={50} onBooked={vi.fn()} />);
    await userEvent.click(screen.getByRole('button', { name: 'Book and pay by bank transfer' }));
    expect(await screen.findByText(/does not accept that way of paying/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Book and pay by bank transfer' })).toBeEnabled();
  });
});

describe('CheckoutPanel with several payment methods', () => {
  const render = (accepted?: string[] | null) => renderWithProviders(
    <CheckoutPanel hold={hold} currency="EUR" onBooked={vi.fn()} onReleased={vi.fn()} restart={null} accepted={accepted} />);

  it('offers an event that never chose the server’s default only: the card', async () => {
    serveApi({ 'GET /payments/config': cards, 'GET /payments/methods': methods });
    render(null);
    expect(await screen.findByTestId('card-payment')).toBeInTheDocument();
    expect(screen.queryByRole('radio')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Book and pay by bank transfer' })).toBeNull();
  });

  it('offers the event’s methods, the card form only while card is chosen', async () => {
    serveApi({ 'GET /payments/config': cards, 'GET /payments/methods': methods });
    render(['stripe', 'offline']);
    const card = await screen.findByRole('radio', { name: 'Card' });
    expect(card).toBeChecked();
    expect(screen.getByTestId('card-payment')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('radio', { name: 'Bank transfer' }));
    expect(screen.queryByTestId('card-payment')).toBeNull();
    expect(screen.getByRole('button', { name: 'Book and pay by bank transfer' })).toBeInTheDocument();
  });

  it('offers only what the event accepts: no choice for one method', async () => {
    serveApi({ 'GET /payments/config': cards, 'GET /payments/methods': methods });
    render(['offline']);
    expect(await screen.findByRole('button', { name: 'Book and pay by bank transfer' })).toBeInTheDocument();
    expect(screen.queryByRole('radio')).toBeNull();
    expect(screen.queryByTestId('card-payment')).toBeNull();
  });
});

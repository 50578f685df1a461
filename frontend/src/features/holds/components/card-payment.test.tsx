import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders, supportDetail } from '@/testing/test-utils';
import type { Booking, Hold, Payment } from '@/types/api';

import { CardPayment } from './card-payment';

const REFUNDED_MESSAGE = 'Your hold ended before the payment went through: the payment was refunded in full.';

// Stripe.js as the page gets it: the script the server names sets `window.Stripe`. Here the
// script tag is answered at once and the object is a stand-in; the end-to-end spec pays through
// localstripe's real Stripe.js.
const stripeJs = {
  elements: () => ({ create: () => ({ mount: vi.fn(), destroy: vi.fn() }) }),
  createPaymentMethod: vi.fn(async () => ({ paymentMethod: { id: 'pm_1' } })),
  createToken: vi.fn(),
  confirmCardPayment: vi.fn(async () => ({ paymentIntent: { status: 'succeeded' } })),
};

const hold = { id: 'h1', event_id: 'e1', quantity: 2, unit_price: '25.00', status: 'active' } as unknown as Hold;
const booking = { id: 'b1', event_id: 'e1', quantity: 2, status: 'confirmed', tickets: [] } as unknown as Booking;
const config = { provider: 'stripe' as const, publishable_key: 'pk_test', js_url: 'http://stripe.test/v3/' };
const payment = (over: Partial<Payment>): Payment => ({
  payment_id: 'p1', hold_id: 'h1', event_id: 'e1', status: 'succeeded', amount: '50.00', currency: 'EUR',
  provider: 'stripe', intent_id: 'pi_1', client_secret: null, booking_id: 'b1', refunded: '0.00', message: null, ...over,
});

function renderPayment(onKept?: (expiresAt: string) => void) {
  const onBooked = vi.fn();
  renderWithProviders(<CardPayment hold={hold} config={config} currency="EUR" total={50} onBooked={onBooked} onKept={onKept} />);
  return onBooked;
}

describe('CardPayment', () => {
  beforeEach(() => {
    window.Stripe = () => stripeJs;
    // The script tag "loads" as soon as it is added.
    vi.spyOn(document.head, 'appendChild').mockImplementation((node) => {
      queueMicrotask(() => (node as HTMLScriptElement).onload?.(new Event('load')));
      return node;
    });
  });
  afterEach(() => { delete window.Stripe; });

  it('pays with the card and hands over the booking it made', async () => {
    const calls = serveApi({ 'POST /holds/h1/payment': payment({}), 'GET /bookings/b1': booking });
    const onBooked = renderPayment();
    await userEvent.click(await screen.findByRole('button', { name: /Pay/ }));
    await vi.waitFor(() => expect(onBooked).toHaveBeenCalledWith(booking));
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /holds/h1/payment', 'GET /bookings/b1']);
    expect(calls[0]!.data).toEqual({ payment_method: 'pm_1' });
  });

  it('charges nothing while what the checkout runs before paying says no', async () => {
    const calls = serveApi({ 'POST /holds/h1/payment': payment({}), 'GET /bookings/b1': booking });
    const onBooked = vi.fn();
    const beforePaying = vi.fn(async () => beforePaying.mock.calls.length > 1);
    renderWithProviders(<CardPayment hold={hold} config={config} currency="EUR" total={50} onBooked={onBooked} beforePaying={beforePaying} />);
    const cardsMade = stripeJs.createPaymentMethod.mock.calls.length;
    await userEvent.click(await screen.findByRole('button', { name: /Pay/ }));
    expect(calls).toEqual([]);
    expect(stripeJs.createPaymentMethod).toHaveBeenCalledTimes(cardsMade); // the card was not even read
    expect(screen.getByRole('button', { name: /Pay/ })).toBeEnabled();
    await userEvent.click(screen.getByRole('button', { name: /Pay/ }));
    await vi.waitFor(() => expect(onBooked).toHaveBeenCalledWith(booking));
    expect(beforePaying).toHaveBeenCalledTimes(2);
  });

  it('completes 3-D Secure in Stripe.js, the hold kept meanwhile, then asks the server again', async () => {
    let asked = 0;
    const kept = '2030-01-01T10:00:00Z';
    serveApi({
      'GET /holds/h1': { ...hold, expires_at: kept },
      'POST /holds/h1/payment': () => (asked++ === 0
        ? payment({ status: 'requires_action', client_secret: 'pi_1_secret', booking_id: null })
        : payment({})),
      'GET /bookings/b1': booking,
    });
    const onKept = vi.fn();
    const onBooked = renderPayment(onKept);
    await userEvent.click(await screen.findByRole('button', { name: /Pay/ }));
    await vi.waitFor(() => expect(onBooked).toHaveBeenCalledWith(booking));
    expect(stripeJs.confirmCardPayment).toHaveBeenCalledWith('pi_1_secret');
    expect(onKept).toHaveBeenCalledWith(kept); // the countdown follows the hold kept for the payment
  });

  it('says once why a declined card paid nothing, and to try another', async () => {
    serveApi({ 'POST /holds/h1/payment': refuse(402, 'PAYMENT_DECLINED', 'The payment was declined: Your card was declined.') });
    const onBooked = renderPayment();
    await userEvent.click(await screen.findByRole('button', { name: /Pay/ }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/^Payment not madeYour card was declined\. Try another card or payment method\.$/);
    expect(supportDetail(alert)).toHaveTextContent('PAYMENT_DECLINED');
    expect(screen.getByRole('button', { name: /Pay/ })).toBeEnabled();
    expect(onBooked).not.toHaveBeenCalled();
  });

  it('says a card Stripe.js declines as it is entered like a decline at the payment, asking the server nothing', async () => {
    stripeJs.createPaymentMethod.mockResolvedValueOnce({ error: { code: 'card_declined', message: 'Your card was declined.' } } as never);
    const calls = serveApi({});
    renderPayment();
    await userEvent.click(await screen.findByRole('button', { name: /Pay/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/^Payment not madeYour card was declined\. Try another card or payment method\.$/);
    expect(calls).toEqual([]);
  });

  it("says a mistyped card in Stripe's words, without sending the buyer to another card", async () => {
    stripeJs.createPaymentMethod.mockResolvedValueOnce({ error: { code: 'incorrect_cvc', message: "Your card's security code is incorrect." } } as never);
    serveApi({});
    renderPayment();
    await userEvent.click(await screen.findByRole('button', { name: /Pay/ }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/^Payment not madeYour card's security code is incorrect\.$/);
    expect(supportDetail(alert)).toBeNull();
  });

  it('says the money went back when the hold ended before the payment', async () => {
    serveApi({ 'POST /holds/h1/payment': payment({ status: 'refunded', booking_id: null, refunded: '50.00' }) });
    renderPayment();
    await userEvent.click(await screen.findByRole('button', { name: /Pay/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent(REFUNDED_MESSAGE);
  });
});

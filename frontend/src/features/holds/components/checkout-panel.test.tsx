import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useEffect } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { dateTime } from '@/lib/format';
import { type Call, refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders } from '@/testing/test-utils';
import type { Booking, Hold } from '@/types/api';

import { CheckoutPanel } from './checkout-panel';

const EXPIRED_MESSAGE = 'Your hold expired; the seats went back on sale.';

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const holdOf = (over: Partial<Hold> = {}): Hold => ({
  id: 'h1', event_id: 'e1', user_id: 'customer-1', category: 'General', quantity: 2, unit_price: '25.00', status: 'active',
  expires_at: inSeconds(600), offer: false, place_id: null, booking_id: null, ...over,
});
/** The calls a test is about: how the browser pays is read by every panel. */
const apiCalls = (calls: Call[]) => calls.filter((c) => c.url !== '/payments/config').map((c) => `${c.method} ${c.url}`);
const booking = { id: 'b1', event_id: 'e1', category: 'General', quantity: 2, total_amount: '50.00', status: 'confirmed', tickets: [] } as unknown as Booking;

function renderPanel(hold: Hold) {
  const onBooked = vi.fn();
  const onReleased = vi.fn();
  const restart = vi.fn();
  renderWithProviders(
    <CheckoutPanel hold={hold} currency="EUR" onBooked={onBooked} onReleased={onReleased}
      restart={<button type="button" onClick={restart}>Start again</button>} />,
  );
  return { onBooked, onReleased, restart };
}

/** Another feature's part of the checkout, as the route composes one: it registers its step once shown. */
function Extra({ holdId, register }: { holdId: string; register: () => void }) {
  useEffect(register, []);
  return <p data-testid="extra">{holdId}</p>;
}

describe('CheckoutPanel', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('shows the seats, the unit price, the total and the time left, and until when in the reader\'s zone', () => {
    const expires = inSeconds(125);
    renderPanel(holdOf({ expires_at: expires }));
    expect(screen.getByTestId('hold-until')).toHaveTextContent(`until ${dateTime(expires)}`);
    expect(screen.getByRole('heading', { name: 'Your seats are held' })).toBeInTheDocument();
    expect(screen.getByTestId('hold-seats')).toHaveTextContent('2 × General');
    expect(screen.getByText(/25\.00/)).toBeInTheDocument();
    expect(screen.getByTestId('hold-total')).toHaveTextContent('50.00');
    expect(screen.getByRole('timer')).toHaveTextContent(/^02:0[45]$/);
  });

  it('takes the focus on its heading when it replaces the form just sent, and leaves it where it is otherwise', () => {
    renderPanel(holdOf());
    expect(screen.getByRole('heading', { name: 'Your seats are held' })).not.toHaveFocus();
    renderWithProviders(<CheckoutPanel hold={holdOf({ id: 'h2' })} currency="EUR" onBooked={vi.fn()} onReleased={vi.fn()}
      restart={null} takeFocus />);
    expect(screen.getAllByRole('heading', { name: 'Your seats are held' })[1]).toHaveFocus();
  });

  it('confirms the hold and hands over the booking', async () => {
    const calls = serveApi({ 'POST /holds/h1/confirm': booking });
    const { onBooked } = renderPanel(holdOf());
    await userEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    await vi.waitFor(() => expect(onBooked).toHaveBeenCalledWith(booking));
    expect(apiCalls(calls)).toEqual(['POST /holds/h1/confirm']);
  });

  it("runs the extra part's step before booking, and books nothing while it says no", async () => {
    const calls = serveApi({ 'POST /holds/h1/confirm': booking });
    const onBooked = vi.fn();
    const answers = [false, true];
    const step = vi.fn(async () => answers.shift() ?? true);
    renderWithProviders(
      <CheckoutPanel hold={holdOf()} currency="EUR" onBooked={onBooked} onReleased={vi.fn()} restart={null}
        extra={({ hold, setStep }) => <Extra holdId={hold.id} register={() => setStep(step)} />} />,
    );
    expect(screen.getByTestId('extra')).toHaveTextContent('h1');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    expect(step).toHaveBeenCalledTimes(1);
    expect(apiCalls(calls)).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    await vi.waitFor(() => expect(onBooked).toHaveBeenCalledWith(booking));
    expect(apiCalls(calls)).toEqual(['POST /holds/h1/confirm']);
  });

  it('with a payment provider, offers to pay by card instead of confirming paid seats', async () => {
    serveApi({ 'GET /payments/config': { provider: 'stripe', publishable_key: 'pk', js_url: 'http://stripe.test/never/v3/' } });
    vi.spyOn(document.head, 'appendChild').mockImplementation((node) => node); // Stripe.js never loads here
    renderPanel(holdOf());
    expect(await screen.findByTestId('card-payment')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Confirm booking' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Pay/ })).toBeDisabled(); // until the card field is there
  });

  it('confirms free seats with a click, even with a payment provider', async () => {
    serveApi({ 'GET /payments/config': { provider: 'stripe', publishable_key: 'pk', js_url: 'http://stripe.test/v3/' } });
    renderPanel(holdOf({ unit_price: '0.00' }));
    await vi.waitFor(() => expect(screen.getByRole('button', { name: 'Confirm booking' })).toBeInTheDocument());
    expect(screen.queryByTestId('card-payment')).not.toBeInTheDocument();
  });

  it('releases the hold', async () => {
    const calls = serveApi({ 'DELETE /holds/h1': holdOf({ status: 'released' }) });
    const { onReleased } = renderPanel(holdOf());
    await userEvent.click(screen.getByRole('button', { name: 'Release' }));
    await vi.waitFor(() => expect(onReleased).toHaveBeenCalled());
    expect(apiCalls(calls)).toEqual(['DELETE /holds/h1']);
  });

  it('says the hold expired when the countdown reaches 0, and offers to start again', () => {
    vi.useFakeTimers();
    const { restart } = renderPanel(holdOf({ expires_at: inSeconds(2) }));
    expect(screen.getByRole('button', { name: 'Confirm booking' })).toBeEnabled();
    act(() => { vi.advanceTimersByTime(2_100); });
    expect(screen.getByTestId('hold-ended')).toHaveTextContent(EXPIRED_MESSAGE);
    expect(screen.queryByRole('button', { name: 'Confirm booking' })).toBeNull();
    expect(screen.queryByRole('timer')).toBeNull();
    act(() => { screen.getByRole('button', { name: 'Start again' }).click(); });
    expect(restart).toHaveBeenCalled();
  });

  it('says the hold expired when the confirmation is refused so (a clock ahead of the server)', async () => {
    serveApi({ 'POST /holds/h1/confirm': refuse(410, 'HOLD_EXPIRED', 'The hold expired: its seats went back on sale') });
    const { onBooked } = renderPanel(holdOf());
    await userEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    expect(await screen.findByTestId('hold-ended')).toHaveTextContent(EXPIRED_MESSAGE);
    expect(screen.getByRole('button', { name: 'Start again' })).toBeInTheDocument();
    expect(onBooked).not.toHaveBeenCalled();
  });

  it('shows another refusal as it is, the hold still there', async () => {
    serveApi({ 'POST /holds/h1/confirm': refuse(409, 'EVENT_CANCELLED', 'The event was cancelled') });
    renderPanel(holdOf());
    await userEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This event was cancelled.');
    expect(screen.getByRole('button', { name: 'Confirm booking' })).toBeEnabled();
  });

  describe('an order across categories', () => {
    const order = holdOf({
      category: 'General', quantity: 3, unit_price: '25.00', total: '130.00',
      lines: [{ category: 'General', quantity: 2, unit_price: '25.00' }, { category: 'VIP', quantity: 1, unit_price: '80.00' }],
    });
    const booked = { ...booking, quantity: 3, total_amount: '130.00', lines: order.lines } as Booking;

    it('shows each line, its seats × their price, and the total; confirmed, it is one booking', async () => {
      const calls = serveApi({ 'GET /payments/config': { provider: null }, 'POST /holds/h1/confirm': booked });
      const { onBooked } = renderPanel(order);
      const lines = within(screen.getByRole('table', { name: 'Seats held' })).getAllByTestId('order-line');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toHaveTextContent(/^General2 × €\s?25\.00€\s?50\.00$/);
      expect(lines[1]).toHaveTextContent(/^VIP1 × €\s?80\.00€\s?80\.00$/);
      expect(screen.queryByText('Unit price')).toBeNull(); // each line has its own
      expect(screen.getByTestId('hold-total')).toHaveTextContent(/€\s?130\.00/);
      await userEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
      await vi.waitFor(() => expect(onBooked).toHaveBeenCalledWith(booked));
      expect(apiCalls(calls)).toEqual(['POST /holds/h1/confirm']);
    });

    it('adds up the lines when the hold does not say its total', () => {
      serveApi({ 'GET /payments/config': { provider: null } });
      renderPanel({ ...order, total: null });
      expect(screen.getByTestId('hold-total')).toHaveTextContent(/€\s?130\.00/);
    });

    it('is paid by card for its total', async () => {
      serveApi({ 'GET /payments/config': { provider: 'stripe', publishable_key: 'pk', js_url: 'http://stripe.test/never/v3/' } });
      vi.spyOn(document.head, 'appendChild').mockImplementation((node) => node); // Stripe.js never loads here
      renderPanel(order);
      expect(await screen.findByRole('button', { name: /^Pay €\s?130\.00$/ })).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Confirm booking' })).toBeNull();
    });
  });

  it('presents an offer to a place on the waitlist, declined by releasing it', () => {
    renderPanel(holdOf({ offer: true, place_id: 'p1' }));
    expect(screen.getByRole('heading', { name: 'Seats are available for you' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Decline' })).toBeInTheDocument();
  });

  describe('a hold priced by a voucher', () => {
    const priced = holdOf({
      category: 'General', quantity: 2, unit_price: '20.00', total: '40.00', list_total: '50.00', voucher: 'EARLY-BIRD',
      lines: [{ category: 'General', quantity: 2, unit_price: '20.00', list_price: '25.00' }],
    });

    it("shows the list price struck through beside the voucher's, the discount, the total and the code", () => {
      serveApi({ 'GET /payments/config': { provider: null } });
      renderPanel(priced);
      const unit = screen.getByTestId('hold-unit-price');
      expect(within(unit).getByTestId('list-price').tagName).toBe('S');
      expect(within(unit).getByTestId('list-price')).toHaveTextContent(/^was €\s?25\.00$/);
      expect(within(unit).getByTestId('voucher-price')).toHaveTextContent(/^now €\s?20\.00$/);
      expect(screen.getByTestId('hold-voucher')).toHaveTextContent('EARLY-BIRD');
      expect(screen.getByTestId('hold-discount')).toHaveTextContent(/^−€\s?10\.00$/);
      expect(screen.getByTestId('hold-total')).toHaveTextContent(/^€\s?40\.00$/);
    });

    it('strikes through each line it lowered in an order across categories, and only those', () => {
      serveApi({ 'GET /payments/config': { provider: null } });
      renderPanel(holdOf({
        category: 'General', quantity: 3, unit_price: '20.00', total: '120.00', list_total: '130.00', voucher: 'GENERAL-5',
        lines: [{ category: 'General', quantity: 2, unit_price: '20.00', list_price: '25.00' }, { category: 'VIP', quantity: 1, unit_price: '80.00' }],
      }));
      const [general, vip] = within(screen.getByRole('table', { name: 'Seats held' })).getAllByTestId('order-line');
      expect(general).toHaveTextContent(/^General2 × was €\s?25\.00 now €\s?20\.00€\s?40\.00$/);
      expect(within(vip!).queryByTestId('list-price')).toBeNull();
      expect(screen.getByTestId('hold-discount')).toHaveTextContent(/€\s?10\.00/);
    });

    it('read back from the list of holds (no code there), still shows what it took off', () => {
      serveApi({ 'GET /payments/config': { provider: null } });
      renderPanel({ ...priced, voucher: undefined, list_total: undefined });
      expect(screen.getByTestId('hold-voucher')).toHaveTextContent('Applied');
      expect(screen.getByTestId('hold-discount')).toHaveTextContent(/€\s?10\.00/);
    });

    it('is paid by card for its discounted total', async () => {
      serveApi({ 'GET /payments/config': { provider: 'stripe', publishable_key: 'pk', js_url: 'http://stripe.test/never/v3/' } });
      vi.spyOn(document.head, 'appendChild').mockImplementation((node) => node); // Stripe.js never loads here
      renderPanel(priced);
      expect(await screen.findByRole('button', { name: /^Pay €\s?40\.00$/ })).toBeInTheDocument();
    });

    it('made free by the voucher, is confirmed with a click, even with a payment provider', async () => {
      serveApi({ 'GET /payments/config': { provider: 'stripe', publishable_key: 'pk', js_url: 'http://stripe.test/v3/' } });
      renderPanel(holdOf({ unit_price: '0.00', total: '0.00', list_total: '50.00', voucher: 'PRESS-7KQH',
        lines: [{ category: 'General', quantity: 2, unit_price: '0.00', list_price: '25.00' }] }));
      await vi.waitFor(() => expect(screen.getByRole('button', { name: 'Confirm booking' })).toBeInTheDocument());
      expect(screen.getByTestId('hold-discount')).toHaveTextContent(/€\s?50\.00/);
    });
  });

  describe('with taxes', () => {
    const VAT = { name: 'VAT', rate: '20', inclusive: true, categories: ['General'] };
    const SALES = { name: 'sales tax', rate: '8.875', inclusive: false, categories: ['VIP'] };
    const taxed = holdOf({
      category: 'General', quantity: 3, unit_price: '30.00', total: '114.44',
      lines: [
        { category: 'General', quantity: 2, unit_price: '30.00', unit_tax: '5.00', tax_name: 'VAT', tax_rate: '20' },
        { category: 'VIP', quantity: 1, unit_price: '54.44', unit_tax: '4.44', tax_name: 'sales tax', tax_rate: '8.875' },
      ],
      taxes: [
        { name: 'VAT', rate: '20', net: '50.00', tax: '10.00', gross: '60.00' },
        { name: 'sales tax', rate: '8.875', net: '50.00', tax: '4.44', gross: '54.44' },
      ],
    });

    it('says under the total the tax it includes, and the one added on top with the price before it', () => {
      serveApi({ 'GET /payments/config': { provider: null } });
      renderWithProviders(<CheckoutPanel hold={taxed} currency="EUR" taxRules={[VAT, SALES]} onBooked={() => {}}
        onReleased={() => {}} restart={null} />);
      expect(screen.getByTestId('hold-total')).toHaveTextContent(/^€\s?114\.44$/);
      const lines = within(screen.getByRole('list', { name: 'Taxes in the total' })).getAllByTestId('tax-line');
      expect(lines.map((l) => l.textContent?.replace(/\u00a0/g, ' '))).toEqual([
        expect.stringMatching(/^incl\. VAT 20 %: €\s?10\.00$/),
        expect.stringMatching(/^Sales tax 8\.875 %: €\s?50\.00 \+ €\s?4\.44 = €\s?54\.44$/),
      ]);
    });

    it('read back from the list of holds (its lines alone), still says its taxes', () => {
      serveApi({ 'GET /payments/config': { provider: null } });
      renderWithProviders(<CheckoutPanel hold={{ ...taxed, taxes: null }} currency="EUR" taxRules={[VAT, SALES]} onBooked={() => {}}
        onReleased={() => {}} restart={null} />);
      const lines = screen.getAllByTestId('tax-line');
      expect(lines.map((l) => l.textContent?.replace(/\u00a0/g, ' '))).toEqual([
        expect.stringMatching(/^incl\. VAT 20 %: €\s?10\.00$/),
        expect.stringMatching(/^Sales tax 8\.875 %: €\s?50\.00 \+ €\s?4\.44 = €\s?54\.44$/),
      ]);
    });

    it('says nothing of taxes for seats of no rule', () => {
      serveApi({ 'GET /payments/config': { provider: null } });
      renderPanel(holdOf({ taxes: [{ name: null, rate: '0', net: '50.00', tax: '0.00', gross: '50.00' }] }));
      expect(screen.queryByTestId('tax-lines')).toBeNull();
    });
  });

  it('shows no voucher, discount or struck price without a voucher', () => {
    renderPanel(holdOf());
    expect(screen.queryByTestId('hold-voucher')).toBeNull();
    expect(screen.queryByTestId('hold-discount')).toBeNull();
    expect(screen.queryByTestId('list-price')).toBeNull();
  });
});

import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AxiosError, type AxiosResponse } from 'axios';
import { describe, expect, it, vi } from 'vitest';

import { type Call, refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders, supportDetail } from '@/testing/test-utils';
import type { Category, Hold } from '@/types/api';

import {
  holdRequest, lineQuantityError, orderedLines, orderError, quantityError, refusedLine, ReserveForm, voucherRefusal, waitlistQuantityError,
} from './reserve-form';

const general: Category = { name: 'General', price: '25.00', capacity: 10, sold: 5, held: 2, waitlisted: 0, available: 3, hidden: false, reserved: 0 };
const balcony: Category = { name: 'Balcony', price: '40.00', capacity: 6, sold: 1, held: 0, waitlisted: 0, available: 5, hidden: false, reserved: 0 };
const vip: Category = { name: 'VIP', price: '80.00', capacity: 2, sold: 2, held: 0, waitlisted: 1, available: 0, hidden: false, reserved: 0 };
const hold = { id: 'h1', event_id: 'e1', category: 'General', quantity: 2, status: 'active' } as Hold;

function renderForm({ categories = [general, balcony, vip], waitlistedIn = [] as string[], perUserLeft = null as number | null } = {}) {
  const onHeld = vi.fn();
  renderWithProviders(<ReserveForm eventId="e1" currency="EUR" categories={categories} perUserLeft={perUserLeft}
    waitlistedIn={new Set(waitlistedIn)} holdFor="10 minutes" onHeld={onHeld} />);
  return onHeld;
}

/** A 400 as the API answers it, `detail` as given: an order refused for one line points at it there (`loc`
 * `['body', 'lines', index]`). */
function refusal(code: string, message: string, detail?: unknown) {
  return new AxiosError('refused', '400', undefined, {}, { data: { code, message, detail }, status: 400 } as AxiosResponse);
}

async function pick(category: string, quantity: string) {
  const input = screen.getByLabelText(`Quantity, ${category}`);
  await userEvent.clear(input);
  if (quantity) await userEvent.type(input, quantity);
}

describe('quantityError', () => {
  it('accepts a quantity within what is on sale and the per-user limit', () => {
    expect(quantityError('2', 3, 4)).toBeNull();
    expect(quantityError('3', 3, null)).toBeNull();
  });
  it.each([
    ['0', 3, null, 'Book at least 1 ticket.'],
    ['1.5', 3, null, 'Enter a whole number of tickets.'],
    ['abc', 3, null, 'Enter a whole number of tickets.'],
    ['4', 3, null, 'Only 3 left in this category.'],
    ['1', 0, null, 'This category is sold out.'],
    ['3', 10, 2, 'You can book 2 more (limit per person).'],
    ['1', 10, 0, 'You already hold the most tickets allowed per person for this event.'],
  ])('refuses %s with %s left and %s allowed', (raw, left, perUser, message) => {
    expect(quantityError(raw, left, perUser)).toBe(message);
  });
});

describe('waitlistQuantityError', () => {
  it('checks a place on the waitlist against the whole category and the per-user limit', () => {
    expect(waitlistQuantityError('2', 2, null)).toBeNull();
    expect(waitlistQuantityError('3', 2, null)).toBe('This category has 2 seats in all.');
    expect(waitlistQuantityError('2', 10, 1)).toBe('You can book 1 more (limit per person).');
  });
});

describe('an order across categories', () => {
  it('takes none (0 or blank) in a category as no error, and checks the others against what is left', () => {
    expect(lineQuantityError('0', 3)).toBeNull();
    expect(lineQuantityError('', 3)).toBeNull();
    expect(lineQuantityError('3', 3)).toBeNull();
    expect(lineQuantityError('4', 3)).toBe('Only 3 left in this category.');
    expect(lineQuantityError('-1', 3)).toBe('Enter a whole number of tickets.');
  });

  it('checks the seats of all its lines together: at least one, within the per-user limit and per booking', () => {
    expect(orderError(0, null)).toBe('Choose how many tickets you want in at least one category.');
    expect(orderError(4, 4)).toBeNull();
    expect(orderError(5, 4)).toBe('You can book 4 more (limit per person).');
    expect(orderError(51, null)).toBe('At most 50 tickets per booking.');
  });

  it("makes a line of each category with seats, in the event's order, and asks for one in the single form", () => {
    const lines = orderedLines([general, balcony, vip], { VIP: '1', General: '2', Balcony: '0' });
    expect(lines).toEqual([{ category: 'General', quantity: 2 }, { category: 'VIP', quantity: 1 }]);
    expect(holdRequest(lines)).toEqual({ lines });
    expect(holdRequest(lines.slice(0, 1))).toEqual({ category: 'General', quantity: 2 });
  });
});

describe('refusedLine', () => {
  const order = { lines: [{ category: 'General', quantity: 2 }, { category: 'VIP', quantity: 1 }] };

  it('names the line of an order the API refused as sold out, by its place in the order', () => {
    expect(refusedLine(refusal('SOLD_OUT', 'Refused', [{ loc: ['body', 'lines', 1], msg: 'Sold out', type: 'SOLD_OUT' }]), order))
      .toEqual({ category: 'VIP', quantity: 1 });
    expect(refusedLine(refusal('SOLD_OUT', 'Refused'), { category: 'General', quantity: 2 })).toEqual({ category: 'General', quantity: 2 });
  });

  it('names none when the refusal is not "sold out" or does not say which line', () => {
    expect(refusedLine(refusal('NOT_ENOUGH_SEATS', 'Refused', [{ loc: ['body', 'lines', 0], msg: 'Too few', type: 'NOT_ENOUGH_SEATS' }]), order)).toBeNull();
    expect(refusedLine(refusal('SOLD_OUT', 'Refused'), order)).toBeNull();
    expect(refusedLine(refusal('SOLD_OUT', 'Refused', [{ loc: ['body', 'lines', 7] }]), order)).toBeNull();
    expect(refusedLine(refusal('SOLD_OUT', 'Refused', 'not a list'), order)).toBeNull();
  });
});

describe('ReserveForm', () => {
  it('has a quantity per category on sale, 0 at first, and the sold-out ones said so', () => {
    renderForm();
    expect(screen.getByLabelText('Quantity, General')).toHaveValue(0);
    expect(screen.getByLabelText('Quantity, Balcony')).toHaveValue(0);
    expect(screen.getByLabelText('Quantity, General')).toHaveAttribute('max', '3');
    expect(screen.queryByLabelText('Quantity, VIP')).toBeNull();
    expect(screen.getByTestId('order-row-VIP')).toHaveTextContent('Sold out');
    expect(screen.getByTestId('order-total')).toHaveTextContent(/Total €\s?0\.00/);
  });

  it('reserves the seats of one category in the single form, with an idempotency key, and hands over the hold', async () => {
    const calls = serveApi({ 'POST /events/e1/holds': hold });
    const onHeld = renderForm();
    await pick('General', '2');
    expect(screen.getByTestId('order-total')).toHaveTextContent(/Total €\s?50\.00 · 2 tickets$/);
    expect(screen.getByText(/Reserved seats are yours for 10 minutes while you confirm\./)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));
    await vi.waitFor(() => expect(onHeld).toHaveBeenCalledWith(hold));
    expect(calls).toMatchObject([{ method: 'POST', url: '/events/e1/holds' }]);
    expect(calls[0]!.data).toEqual({ category: 'General', quantity: 2 });
    expect(calls[0]!.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(screen.getByLabelText('Quantity, General')).toHaveValue(0); // ready for another order
  });

  it('holds seats in several categories as one order, its running total in the currency', async () => {
    const held = { ...hold, category: 'General', quantity: 3, lines: [] } as unknown as Hold;
    const calls = serveApi({ 'POST /events/e1/holds': held });
    const onHeld = renderForm();
    await pick('General', '2');
    await pick('Balcony', '1');
    expect(screen.getByTestId('order-total')).toHaveTextContent(/Total €\s?90\.00 · 3 tickets in 2 categories/);
    await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));
    await vi.waitFor(() => expect(onHeld).toHaveBeenCalledWith(held));
    expect(calls[0]!.data).toEqual({ lines: [{ category: 'General', quantity: 2 }, { category: 'Balcony', quantity: 1 }] });
  });

  it("says each category's tax beside its price, and a total before a tax added on top as such", async () => {
    const taxRules = [
      { name: 'VAT', rate: '20', inclusive: true, categories: ['General'] },
      { name: 'sales tax', rate: '8.875', inclusive: false, categories: ['Balcony'] },
    ];
    renderWithProviders(<ReserveForm eventId="e1" currency="EUR" categories={[general, balcony]} perUserLeft={null}
      waitlistedIn={new Set()} holdFor="10 minutes" onHeld={() => {}} taxRules={taxRules} />);
    expect(screen.getByTestId('order-row-General')).toHaveTextContent(/€\s?25\.00 incl\. 20 % VAT · 3 left/);
    expect(screen.getByTestId('order-row-Balcony')).toHaveTextContent(/€\s?40\.00 \+ 8\.875 % sales tax · 5 left/);
    await pick('General', '1');
    expect(screen.getByTestId('order-total')).toHaveTextContent(/^Total €\s?25\.00 · 1 ticket$/);
    await pick('Balcony', '1');
    expect(screen.getByTestId('order-total')).toHaveTextContent(/^Total €\s?65\.00 \+ tax · 2 tickets in 2 categories$/);
  });

  it('asks for at least one ticket before reserving', async () => {
    const calls = serveApi({});
    renderForm();
    await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));
    expect(screen.getByTestId('order-error')).toHaveTextContent('Choose how many tickets you want in at least one category.');
    expect(screen.getByRole('button', { name: 'Reserve seats' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Reserve seats' })).toHaveAccessibleDescription(/at least one category/);
    expect(calls).toEqual([]);
    await pick('Balcony', '1');
    expect(screen.queryByTestId('order-error')).toBeNull();
    expect(screen.getByRole('button', { name: 'Reserve seats' })).toBeEnabled();
  });

  it('explains why a quantity cannot be reserved, beside its category, and disables the button', async () => {
    renderForm();
    await pick('General', '5');
    const row = screen.getByTestId('order-row-General');
    expect(within(row).getByText('Only 3 left in this category.')).toBeInTheDocument();
    expect(screen.getByLabelText('Quantity, General')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Quantity, General')).toHaveAccessibleDescription('Only 3 left in this category.');
    expect(screen.getByRole('button', { name: 'Reserve seats' })).toBeDisabled();
  });

  it('checks the whole order against the per-user limit', async () => {
    renderForm({ perUserLeft: 3 });
    expect(screen.getByLabelText('Quantity, Balcony')).toHaveAccessibleDescription('Up to 3 more for you on this event.');
    await pick('General', '2');
    expect(screen.queryByTestId('order-error')).toBeNull();
    await pick('Balcony', '2');
    expect(screen.getByTestId('order-error')).toHaveTextContent('You can book 3 more (limit per person).');
    expect(screen.getByRole('button', { name: 'Reserve seats' })).toBeDisabled();
  });

  it('shows a refusal of the order in words, its code kept for support', async () => {
    serveApi({ 'POST /events/e1/holds': refuse(422, 'CATEGORY_NAMED_TWICE', 'A category is named on two lines of one order') });
    renderForm();
    await pick('General', '1');
    await pick('Balcony', '1');
    await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Reservation refused');
    expect(alert).toHaveTextContent('The same ticket category is on two lines of this order: put it on one.');
    expect(supportDetail(alert)).toHaveTextContent('Error code CATEGORY_NAMED_TWICE');
  });

  it('offers the waitlist for a sold-out category and joins it', async () => {
    const calls = serveApi({ 'POST /events/e1/waitlist': { id: 'p1', status: 'waiting', rank: 1 } });
    renderForm();
    expect(screen.getByTestId('sold-out')).toHaveTextContent('VIP is sold out.');
    await userEvent.click(screen.getByRole('button', { name: 'Join the waitlist' }));
    await vi.waitFor(() => expect(calls).toMatchObject([{ method: 'POST', url: '/events/e1/waitlist', data: { category: 'VIP', quantity: 1 } }]));
  });

  it('with every category sold out, offers only the waitlist', async () => {
    const calls = serveApi({ 'POST /events/e1/waitlist': { id: 'p1', status: 'waiting', rank: 1 } });
    renderForm({ categories: [vip, { ...general, available: 0 }] });
    expect(screen.queryByRole('button', { name: 'Reserve seats' })).toBeNull();
    expect(screen.queryByLabelText(/^Quantity, /)).toBeNull();
    await userEvent.selectOptions(screen.getByLabelText('Waitlist of'), 'General');
    expect(screen.getByTestId('sold-out')).toHaveTextContent('General is sold out.');
    await userEvent.clear(screen.getByLabelText('Seats to wait for, General'));
    await userEvent.type(screen.getByLabelText('Seats to wait for, General'), '3{Enter}');
    await vi.waitFor(() => expect(calls).toMatchObject([{ url: '/events/e1/waitlist', data: { category: 'General', quantity: 3 } }]));
  });

  it('offers the waitlist when the hold is refused because the seats went meanwhile', async () => {
    const calls = serveApi({
      'POST /events/e1/holds': refuse(400, 'SOLD_OUT', "Category 'General' is sold out"),
      'POST /events/e1/waitlist': { id: 'p1', status: 'waiting', rank: 1 },
    });
    renderForm({ categories: [general, balcony] });
    expect(screen.queryByRole('button', { name: 'Join the waitlist' })).toBeNull();
    await pick('General', '2');
    await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));
    expect(await screen.findByRole('button', { name: 'Join the waitlist' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent("Category 'General' is sold out");
    expect(screen.getByTestId('order-row-General')).toHaveTextContent('Sold out');
    expect(screen.getByLabelText('Seats to wait for, General')).toHaveValue(2); // the seats asked for
    await userEvent.click(screen.getByRole('button', { name: 'Join the waitlist' }));
    await vi.waitFor(() => expect(calls.at(-1)).toMatchObject({ url: '/events/e1/waitlist', data: { category: 'General', quantity: 2 } }));
  });

  it("offers the waitlist of the category an order was refused for, and holds the rest of the order without it", async () => {
    const calls = serveApi({
      'POST /events/e1/holds': (call: Call) => {
        if ('lines' in (call.data as object)) {
          throw refusal('SOLD_OUT', "Category 'Balcony' is sold out", [{ loc: ['body', 'lines', 1], msg: 'Sold out', type: 'SOLD_OUT' }]);
        }
        return hold;
      },
      'POST /events/e1/waitlist': { id: 'p1', status: 'waiting', rank: 1 },
    });
    const onHeld = renderForm({ categories: [general, balcony] });
    await pick('General', '2');
    await pick('Balcony', '3');
    await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));

    expect(await screen.findByTestId('order-changed')).toHaveTextContent(
      'Balcony sold out while you were choosing, so it is no longer in your order.');
    expect(screen.getByRole('alert')).toHaveTextContent('Not on sale now');
    expect(screen.getByTestId('order-row-Balcony')).toHaveTextContent('Sold out');
    expect(screen.queryByLabelText('Quantity, Balcony')).toBeNull();
    expect(screen.getByLabelText('Quantity, General')).toHaveValue(2); // the rest of the order kept
    expect(screen.getByTestId('order-total')).toHaveTextContent(/Total €\s?50\.00 · 2 tickets$/);
    expect(screen.getByTestId('sold-out')).toHaveTextContent('Balcony is sold out.');
    expect(screen.getByLabelText('Seats to wait for, Balcony')).toHaveValue(3); // the seats asked for

    await userEvent.click(screen.getByRole('button', { name: 'Join the waitlist' }));
    await vi.waitFor(() => expect(calls.at(-1)).toMatchObject({ url: '/events/e1/waitlist', data: { category: 'Balcony', quantity: 3 } }));
    await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));
    await vi.waitFor(() => expect(onHeld).toHaveBeenCalledWith(hold));
    const [refused, rest] = calls.filter((c) => c.url === '/events/e1/holds');
    expect(rest!.data).toEqual({ category: 'General', quantity: 2 });
    expect(rest!.headers['Idempotency-Key']).not.toEqual(refused!.headers['Idempotency-Key']);
  });

  it('does not offer the waitlist while some seats are on sale: too few left is an error to fix, not a waitlist', async () => {
    serveApi({ 'POST /events/e1/holds': refuse(400, 'NOT_ENOUGH_SEATS', "Only 1 seat left in 'General'; 2 requested") });
    renderForm({ categories: [general, balcony] });
    await pick('General', '2');
    await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("Only 1 seat left in 'General'");
    expect(screen.queryByRole('button', { name: 'Join the waitlist' })).toBeNull();
  });

  it('does not offer a waitlist the user has a place on already', () => {
    renderForm({ waitlistedIn: ['VIP'] });
    expect(screen.getByTestId('order-row-VIP')).toHaveTextContent('Sold out · on its waitlist');
    expect(screen.queryByRole('button', { name: 'Join the waitlist' })).toBeNull();
  });

  describe('a voucher code', () => {
    it('is asked for behind "Have a voucher code?", and sent with the hold as typed', async () => {
      const calls = serveApi({ 'POST /events/e1/holds': hold });
      const onHeld = renderForm();
      expect(screen.queryByLabelText('Voucher code')).toBeNull();
      await userEvent.click(screen.getByRole('button', { name: 'Have a voucher code?' }));
      expect(screen.getByLabelText('Voucher code')).toHaveFocus();
      await userEvent.type(screen.getByLabelText('Voucher code'), ' early-bird ');
      await pick('General', '2');
      await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));
      await vi.waitFor(() => expect(onHeld).toHaveBeenCalledWith(hold));
      expect(calls.map((c) => c.data)).toEqual([{ category: 'General', quantity: 2, voucher: 'early-bird' }]);
    });

    it('comes filled in from a voucher link, and is sent with the hold', async () => {
      const calls = serveApi({ 'POST /events/e1/holds': hold });
      const onHeld = vi.fn();
      renderWithProviders(<ReserveForm eventId="e1" currency="EUR" categories={[general]} perUserLeft={null}
        waitlistedIn={new Set()} holdFor="10 minutes" onHeld={onHeld} voucher="CREW-26" />);
      expect(screen.getByLabelText('Voucher code')).toHaveValue('CREW-26');
      await pick('General', '1');
      await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));
      await vi.waitFor(() => expect(onHeld).toHaveBeenCalledWith(hold));
      expect(calls.map((c) => c.data)).toEqual([{ category: 'General', quantity: 1, voucher: 'CREW-26' }]);
    });

    it('sends none when the field is left empty', async () => {
      const calls = serveApi({ 'POST /events/e1/holds': hold });
      renderForm();
      await userEvent.click(screen.getByRole('button', { name: 'Have a voucher code?' }));
      await pick('General', '1');
      await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));
      await vi.waitFor(() => expect(calls).toHaveLength(1));
      expect(calls[0]!.data).toEqual({ category: 'General', quantity: 1 });
    });

    it('refused, shows its sentence at the field and holds nothing; a corrected code is another request', async () => {
      let answer: unknown = refuse(409, 'VOUCHER_EXPIRED', 'This voucher has expired',
        [{ loc: ['body', 'voucher'], msg: 'This voucher has expired', type: 'VOUCHER_EXPIRED' }], { valid_until: '2030-01-01T00:00:00Z' });
      const calls = serveApi({ 'POST /events/e1/holds': () => answer });
      const onHeld = renderForm();
      await userEvent.click(screen.getByRole('button', { name: 'Have a voucher code?' }));
      await userEvent.type(screen.getByLabelText('Voucher code'), 'WINTER');
      await pick('General', '2');
      await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));
      const field = screen.getByLabelText('Voucher code');
      await vi.waitFor(() => expect(field).toHaveAccessibleDescription('That voucher code has expired.'));
      expect(field).toHaveAttribute('aria-invalid', 'true');
      expect(field).toHaveFocus();
      expect(screen.queryByRole('alert')).toBeNull(); // said once, at the field
      expect(onHeld).not.toHaveBeenCalled();
      expect(screen.getByLabelText('Quantity, General')).toHaveValue(2); // the order kept

      answer = hold;
      await userEvent.clear(field);
      await userEvent.type(field, 'SPRING');
      expect(field).not.toHaveAccessibleDescription('That voucher code has expired.');
      await userEvent.click(screen.getByRole('button', { name: 'Reserve seats' }));
      await vi.waitFor(() => expect(onHeld).toHaveBeenCalledWith(hold));
      const [refused, held] = calls;
      expect(held!.data).toEqual({ category: 'General', quantity: 2, voucher: 'SPRING' });
      expect(held!.headers['Idempotency-Key']).not.toEqual(refused!.headers['Idempotency-Key']);
    });

    it('used up, says how many uses are left, in the API\'s words', () => {
      const used = refusal('VOUCHER_EXHAUSTED', 'This voucher is good for 1 more seat; 2 asked');
      expect(voucherRefusal(used)).toBe('This voucher is good for 1 more seat; 2 asked');
      expect(voucherRefusal(refusal('VOUCHER_NOT_FOUND', "No voucher 'NOPE' on this event")))
        .toBe('That voucher code is not known for this event. Check how it is spelled.');
      expect(voucherRefusal(refusal('VALIDATION_ERROR', 'The request is not valid',
        [{ loc: ['body', 'voucher'], msg: 'String should have at most 40 characters', type: 'string_too_long' }]))).toBe('At most 40 characters');
      expect(voucherRefusal(refusal('SOLD_OUT', "Category 'General' is sold out"))).toBeNull();
    });
  });
});

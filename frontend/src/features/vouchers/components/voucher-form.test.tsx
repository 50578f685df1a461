import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { Answer, refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders } from '@/testing/test-utils';
import type { Category } from '@/types/api';

import { VoucherForm } from './voucher-form';
import { NEW_VOUCHER, toVoucherIn, validateVoucher, voucherFormKey } from './voucher-terms';

const category = (name: string, price: string): Category => ({ name, price, capacity: 10, sold: 0, held: 0, waitlisted: 0, available: 10, hidden: false, reserved: 0 });
const event = { timezone: 'Europe/London', currency: 'EUR', categories: [category('General', '25.00'), category('VIP', '80.00')] };
const NOW = Date.parse('2030-01-01T12:00:00Z');
const made = (code: string, over: object = {}) => ({
  code, discount: 'percent', value: '20.00', max_uses: 1, redeemed: 0, bookings: 0, revenue: '0.00', discounts: '0.00',
  valid_from: null, valid_until: null, categories: null, label: null, disabled: false, created_at: '2030-01-01T12:00:00Z', ...over,
});

function renderForm() {
  return renderWithProviders(<VoucherForm eventId="e1" event={event} />);
}

describe('the voucher form\'s body', () => {
  it('sends one code on its terms, the times read in the venue\'s zone and the categories ticked', () => {
    const values = {
      ...NEW_VOUCHER, code: ' EARLY-BIRD ', discount: 'amount_off' as const, value: '5', maxUses: '50',
      validFrom: '2030-06-01T09:00', validUntil: '2030-07-01T00:00', categories: ['General'], label: ' early birds ',
    };
    expect(toVoucherIn(values, 'Europe/London')).toEqual({
      code: 'EARLY-BIRD', prefix: '', discount: 'amount_off', value: '5', max_uses: 50,
      valid_from: '2030-06-01T08:00:00.000Z', valid_until: '2030-06-30T23:00:00.000Z', categories: ['General'], label: 'early birds',
      reserve: false,
    });
  });

  it('sends a batch as a count after a prefix; no category ticked is every one', () => {
    const values = { ...NEW_VOUCHER, mode: 'batch' as const, count: '40', prefix: 'PRESS-', discount: 'set_price' as const, value: '0' };
    expect(toVoucherIn(values, 'UTC')).toEqual({
      count: 40, prefix: 'PRESS-', discount: 'set_price', value: '0', max_uses: 1,
      valid_from: null, valid_until: null, categories: null, label: null, reserve: false,
    });
  });

  it('checks what the API would refuse before sending it', () => {
    expect(validateVoucher({ ...NEW_VOUCHER, code: 'AB', value: '0' }, event, NOW)).toEqual({
      code: '4 to 32 letters, digits, - or _, starting with a letter or digit.',
      value: 'A percentage above 0, at most 100 (e.g. 20 or 12.5).',
    });
    const tooMuch = validateVoucher({ ...NEW_VOUCHER, code: 'VIP-ONLY', discount: 'amount_off', value: '30', categories: [] }, event, NOW);
    expect(tooMuch.value).toMatch(/^At most €\s?25\.00: the cheapest ticket it applies to costs that\.$/);
    expect(validateVoucher({ ...NEW_VOUCHER, code: 'VIP-ONLY', discount: 'amount_off', value: '30', categories: ['VIP'] }, event, NOW)).toEqual({});
    expect(validateVoucher({ ...NEW_VOUCHER, mode: 'batch', count: '1001', prefix: 'NO SPACES', value: '10' }, event, NOW))
      .toEqual({ count: 'A whole number from 1 to 1000.', prefix: 'Up to 12 letters, digits, - or _.' });
    expect(validateVoucher({ ...NEW_VOUCHER, code: 'LATE', value: '10', validUntil: '2029-12-31T00:00' }, event, NOW))
      .toEqual({ validUntil: 'The end must be in the future.' });
    expect(validateVoucher({ ...NEW_VOUCHER, code: 'LATE', value: '10', validFrom: '2030-02-01T00:00', validUntil: '2030-01-31T00:00' }, event, NOW))
      .toEqual({ validUntil: 'The end must be after the start.' });
  });

  it("puts the API's refused field at the form's: the one code is `codes.0` to the API", () => {
    expect(voucherFormKey('codes.0', 'code')).toBe('code');
    expect(voucherFormKey('codes.0', 'batch')).toBeUndefined();
    expect(voucherFormKey('max_uses', 'code')).toBe('maxUses');
    expect(voucherFormKey('categories.1', 'batch')).toBe('categories');
  });
});

describe('VoucherForm', () => {
  it('makes one voucher by its code, upper-cased as typed', async () => {
    const calls = serveApi({ 'POST /events/e1/vouchers': { vouchers: [made('SPRING-26', { max_uses: 5 })], position: 7 } });
    renderForm();
    await userEvent.type(screen.getByLabelText('Code'), 'spring-26');
    await userEvent.type(screen.getByLabelText('Percent off'), '20');
    await userEvent.clear(screen.getByLabelText('Tickets it may be used for'));
    await userEvent.type(screen.getByLabelText('Tickets it may be used for'), '5');
    await userEvent.click(screen.getByRole('checkbox', { name: 'VIP' }));
    await userEvent.click(screen.getByRole('button', { name: 'Make the voucher' }));
    expect(await screen.findByTestId('vouchers-made')).toHaveTextContent('Voucher SPRING-26 made: 20 % off, for 5 tickets.');
    expect(calls.map((c) => c.data)).toEqual([{
      code: 'SPRING-26', prefix: '', discount: 'percent', value: '20', max_uses: 5,
      valid_from: null, valid_until: null, categories: ['VIP'], label: null, reserve: false,
    }]);
    expect(screen.getByLabelText('Code')).toHaveValue(''); // ready for the next one
  });

  it('makes a batch of random codes, lists them and offers their CSV', async () => {
    const codes = ['PRESS-7KQH', 'PRESS-M3XW', 'PRESS-9RTV'];
    const calls = serveApi({
      'POST /events/e1/vouchers': { vouchers: codes.map((c) => made(c, { discount: 'set_price', value: '0.00', label: 'press' })), position: 8 },
      'GET /events/e1/vouchers.csv?batch=8': new Answer('code,discount\r\n', 200, { 'content-disposition': 'attachment; filename="vouchers-e1-8.csv"' }),
    });
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function save(this: HTMLAnchorElement) { saved.push(this.download); });
    renderForm();
    await userEvent.click(screen.getByRole('radio', { name: 'A batch of random codes' }));
    await userEvent.clear(screen.getByLabelText('How many codes'));
    await userEvent.type(screen.getByLabelText('How many codes'), '3');
    await userEvent.type(screen.getByLabelText('Prefix (optional)'), 'press-');
    await userEvent.selectOptions(screen.getByLabelText('Discount'), 'A set price for each ticket');
    await userEvent.type(screen.getByLabelText('Price (EUR)'), '0');
    await userEvent.type(screen.getByLabelText('Label (optional)'), 'press');
    await userEvent.click(screen.getByRole('button', { name: 'Make the codes' }));
    expect(await screen.findByTestId('vouchers-made')).toHaveTextContent(/^3 codes made: €\s?0\.00: free, for 1 ticket each\.$/);
    expect(within(screen.getByRole('list', { name: 'Codes made' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual(codes);
    expect(calls[0].data).toMatchObject({ count: 3, prefix: 'PRESS-', discount: 'set_price', value: '0', label: 'press' });
    expect(calls[0].data).not.toHaveProperty('code');
    await userEvent.click(screen.getByRole('button', { name: 'Download these codes (CSV)' }));
    await waitFor(() => expect(saved).toEqual(['vouchers-e1-8.csv']));
    expect(calls.map((c) => `${c.method} ${c.url}`)).toContain('GET /events/e1/vouchers.csv?batch=8');
  });

  it('reserves seats only for one category and with no end, as the API wants', () => {
    const reserving = { ...NEW_VOUCHER, code: 'CREW', value: '100', reserve: true };
    expect(validateVoucher(reserving, event, NOW).categories).toBe('Choose the one category whose seats it reserves.');
    const one = { ...reserving, categories: ['General'] };
    expect(validateVoucher(one, event, NOW)).toEqual({});
    expect(validateVoucher({ ...one, validUntil: '2099-01-01T10:00' }, event, NOW).validUntil).toMatch(/leave the end empty/);
    expect(toVoucherIn(one, 'UTC')).toMatchObject({ code: 'CREW', categories: ['General'], reserve: true });
  });

  it('shows a code taken at the code field, tied to it for a screen reader', async () => {
    serveApi({
      'POST /events/e1/vouchers': refuse(409, 'VOUCHER_CODE_TAKEN', "A voucher 'EARLY' exists on this event already",
        [{ loc: ['body', 'code'], msg: "A voucher 'EARLY' exists on this event already", type: 'VOUCHER_CODE_TAKEN' }]),
    });
    renderForm();
    await userEvent.type(screen.getByLabelText('Code'), 'early');
    await userEvent.type(screen.getByLabelText('Percent off'), '10');
    await userEvent.click(screen.getByRole('button', { name: 'Make the voucher' }));
    await waitFor(() => expect(screen.getByLabelText('Code')).toHaveAccessibleDescription("A voucher 'EARLY' exists on this event already"));
    expect(screen.getByLabelText('Code')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('alert')).toHaveTextContent('A voucher with that code exists already on this event. Choose another code.');
    await userEvent.type(screen.getByLabelText('Code'), '-2');
    expect(screen.getByLabelText('Code')).not.toHaveAccessibleDescription(/exists/); // an edited field's error goes away
  });

  it('shows a refused value at its field', async () => {
    serveApi({
      'POST /events/e1/vouchers': refuse(422, 'INVALID_VOUCHER', '30.00 off would make a price of 25.00 negative',
        [{ loc: ['body', 'value'], msg: '30.00 off would make a price of 25.00 negative', type: 'INVALID_VOUCHER' }]),
    });
    // A price the page read before another organizer lowered it: the API's word decides.
    renderWithProviders(<VoucherForm eventId="e1" event={{ ...event, categories: [category('General', '40.00')] }} />);
    await userEvent.type(screen.getByLabelText('Code'), 'THIRTY');
    await userEvent.selectOptions(screen.getByLabelText('Discount'), 'An amount off each ticket');
    await userEvent.type(screen.getByLabelText('Amount off (EUR)'), '30');
    await userEvent.click(screen.getByRole('button', { name: 'Make the voucher' }));
    await waitFor(() => expect(screen.getByLabelText('Amount off (EUR)')).toHaveAccessibleDescription('30.00 off would make a price of 25.00 negative'));
  });

  it('says what is wrong before sending anything', async () => {
    const calls = serveApi({});
    renderForm();
    await userEvent.click(screen.getByRole('button', { name: 'Make the voucher' }));
    expect(screen.getByLabelText('Code')).toHaveAccessibleDescription('4 to 32 letters, digits, - or _, starting with a letter or digit.');
    expect(screen.getByLabelText('Percent off')).toHaveAccessibleDescription('A percentage above 0, at most 100 (e.g. 20 or 12.5).');
    expect(calls).toEqual([]);
  });
});

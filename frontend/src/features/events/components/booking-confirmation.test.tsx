import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { Answer, PENDING, serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';
import type { Booking } from '@/types/api';

import { BookingConfirmation } from './booking-confirmation';

const booking: Booking = {
  id: 'b1', event_id: 'e1', user_id: 'u1', user_name: 'Ann', category: 'VIP', quantity: 1,
  unit_price: '40.00', total_amount: '40.00', status: 'confirmed', created_at: '2030-01-01T10:00:00Z', position: 5,
  lines: [{ category: 'VIP', quantity: 1, unit_price: '40.00' }],
  tickets: [{ code: 'CODE-ONE-1234', status: 'active', category: 'VIP' }],
};
const proof = {
  leaf_index: 4, tree_size: 9, leaf: { type: 'SeatsBooked' }, leaf_hash: 'ab', audit_path: ['cd', 'ef'],
  head: { tree_size: 9, root_hash: '01', timestamp: '2030-01-01T10:00:01.000Z', key_id: 'f1029dfbb8e42f99', signature: 'c2ln' },
};

function read(blob: Blob): Promise<string> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsText(blob);
  });
}

describe('BookingConfirmation', () => {
  // The proof's readiness is asked in the background: left unanswered here.
  beforeEach(() => { serveApi({ 'GET /audit/checkpoints/latest': PENDING }); });

  it('says one category\'s seats as before, each ticket with its category', () => {
    renderWithProviders(<BookingConfirmation booking={booking} currency="EUR" onClose={() => {}} />);
    expect(screen.getByRole('heading', { name: '✓ Booked: 1 × VIP' })).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Your order' })).toBeNull();
    expect(screen.getByTestId('ticket-category')).toHaveTextContent('VIP');
  });

  it('takes the focus on its heading: the buyer who confirmed hears that it is booked', () => {
    renderWithProviders(<BookingConfirmation booking={booking} currency="EUR" onClose={() => {}} />);
    expect(screen.getByRole('heading', { name: '✓ Booked: 1 × VIP' })).toHaveFocus();
  });

  it('shows an order across categories as a receipt: each line, the total, and the tickets of each', () => {
    const order: Booking = {
      ...booking, category: 'General', quantity: 3, unit_price: '25.00', total_amount: '130.00',
      lines: [{ category: 'General', quantity: 2, unit_price: '25.00' }, { category: 'VIP', quantity: 1, unit_price: '80.00' }],
      tickets: [
        { code: 'GEN-1', status: 'active', category: 'General' }, { code: 'GEN-2', status: 'active', category: 'General' },
        { code: 'VIP-1', status: 'active', category: 'VIP' },
      ],
    };
    renderWithProviders(<BookingConfirmation booking={order} currency="EUR" onClose={() => {}} />);
    expect(screen.getByRole('heading', { name: '✓ Booked: 2 × General, 1 × VIP' })).toBeInTheDocument();
    const receipt = screen.getByRole('table', { name: 'Your order' });
    expect(within(receipt).getAllByTestId('order-line').map((row) => row.textContent))
      .toEqual([expect.stringMatching(/^General2 × €\s?25\.00€\s?50\.00$/), expect.stringMatching(/^VIP1 × €\s?80\.00€\s?80\.00$/)]);
    expect(screen.getByTestId('booking-total')).toHaveTextContent(/€\s?130\.00/);
    const tickets = screen.getAllByTestId('ticket');
    expect(tickets.map((t) => within(t).getByTestId('ticket-category').textContent)).toEqual(['General', 'General', 'VIP']);
  });

  it('shows the price paid with a voucher: each line beside its list price, the total beside the list total', () => {
    const priced: Booking = {
      ...booking, quantity: 2, unit_price: '30.00', total_amount: '60.00', list_total: '80.00',
      lines: [{ category: 'VIP', quantity: 2, unit_price: '30.00', list_price: '40.00' }],
    };
    renderWithProviders(<BookingConfirmation booking={priced} currency="EUR" onClose={() => {}} />);
    const [line] = within(screen.getByRole('table', { name: 'Your order' })).getAllByTestId('order-line');
    expect(line).toHaveTextContent(/^VIP2 × was €\s?40\.00 now €\s?30\.00€\s?60\.00$/);
    expect(screen.getByTestId('booking-total')).toHaveTextContent(/^€\s?60\.00$/);
    expect(screen.getByTestId('booking-list-total')).toHaveTextContent(/^was €\s?80\.00$/);
    expect(screen.getByTestId('booking-saving')).toHaveTextContent(/€\s?20\.00 off with your voucher/);
  });

  it('says the tax its total includes, under the total', () => {
    const taxed: Booking = {
      ...booking, quantity: 2, unit_price: '30.00', total_amount: '60.00',
      lines: [{ category: 'VIP', quantity: 2, unit_price: '30.00', unit_tax: '5.00', tax_name: 'VAT', tax_rate: '20' }],
      taxes: [{ name: 'VAT', rate: '20', net: '50.00', tax: '10.00', gross: '60.00' }],
    };
    renderWithProviders(<BookingConfirmation booking={taxed} currency="EUR" onClose={() => {}}
      taxRules={[{ name: 'VAT', rate: '20', inclusive: true, categories: ['VIP'] }]} />);
    expect(screen.getByTestId('booking-total')).toHaveTextContent(/^€\s?60\.00$/);
    expect(screen.getByTestId('tax-line')).toHaveTextContent(/^incl\. VAT 20 %: €\s?10\.00$/);
  });

  it('tells a buyer who chose a bank transfer what to transfer and the reference to quote', () => {
    const owed: Booking = {
      ...booking, payment: { status: 'awaiting_payment', provider: 'offline', amount: '40.00', currency: 'EUR',
        refunded: '0.00', message: null, updated_at: '2030-01-01T10:00:00Z', reference: 'BT-ABCD2345' },
    };
    renderWithProviders(<BookingConfirmation booking={owed} currency="EUR" onClose={() => {}} />);
    expect(screen.getByTestId('transfer-amount')).toHaveTextContent(/€\s?40\.00/);
    expect(screen.getByTestId('transfer-reference')).toHaveTextContent('BT-ABCD2345');
  });

  it('says the tickets were e-mailed, and to the signed-in buyer\'s own address', () => {
    renderWithProviders(<BookingConfirmation booking={booking} currency="EUR" onClose={() => {}} />, { user: userOf('customer', 'u1') });
    expect(screen.getByTestId('tickets-emailed')).toHaveTextContent(
      /^Your ticket was e-mailed to u1@x\.test, as a PDF with its QR code\. Not in your inbox within a few minutes\? Look in your spam folder, or send it again from My bookings\.$/);
    expect(within(screen.getByTestId('tickets-emailed')).getByText('u1@x.test').tagName).toBe('STRONG');
  });

  it('says several tickets were e-mailed in the plural', () => {
    const two: Booking = { ...booking, quantity: 2, tickets: [...booking.tickets, { code: 'CODE-TWO-5678', status: 'active', category: 'VIP' }] };
    renderWithProviders(<BookingConfirmation booking={two} currency="EUR" onClose={() => {}} />, { user: userOf('customer', 'u1') });
    expect(screen.getByTestId('tickets-emailed')).toHaveTextContent(/^Your tickets were e-mailed to u1@x\.test, as a PDF with a QR code for each\..* send them again/);
  });

  it('shows what another feature adds about the booking under where its tickets went (its invoice)', () => {
    renderWithProviders(
      <BookingConfirmation booking={booking} currency="EUR" onClose={() => {}}><p data-testid="more">Invoice asked for</p></BookingConfirmation>,
    );
    expect(screen.getByTestId('tickets-emailed').nextElementSibling).toBe(screen.getByTestId('more'));
  });

  it('says nothing of a transfer for a booking paid by card', () => {
    renderWithProviders(<BookingConfirmation booking={booking} currency="EUR" onClose={() => {}} />);
    expect(screen.queryByTestId('transfer-due')).toBeNull();
  });
});

describe('BookingConfirmation proof download', () => {
  afterEach(() => { vi.unstubAllGlobals(); });

  it('says the proof comes shortly, with no download to fail, while no signed head covers the new booking', async () => {
    const calls = serveApi({ 'GET /audit/checkpoints/latest': { ...proof.head, tree_size: 4 } });
    renderWithProviders(<BookingConfirmation booking={booking} currency="EUR" onClose={() => {}} />);
    expect(await screen.findByTestId('proof-soon')).toHaveTextContent('will be ready to download here shortly');
    expect(screen.queryByRole('button', { name: /proof/ })).toBeNull();
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /audit/checkpoints/latest']);
  });

  it('fetches the booking proof once a signed head covers it, and saves it as a JSON file', async () => {
    const calls = serveApi({ 'GET /audit/checkpoints/latest': proof.head, 'GET /audit/proofs/bookings/b1': proof });
    const saved: Blob[] = [];
    vi.stubGlobal('URL', Object.assign(URL, {
      createObjectURL: (blob: Blob) => { saved.push(blob); return 'blob:proof'; },
      revokeObjectURL: () => {},
    }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderWithProviders(<BookingConfirmation booking={booking} currency="EUR" onClose={() => {}} />);

    await userEvent.click(await screen.findByRole('button', { name: 'Download proof of booking' }));

    expect(await screen.findByText(/^Saved\./)).toBeInTheDocument();
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /audit/checkpoints/latest', 'GET /audit/proofs/bookings/b1']);
    expect(click).toHaveBeenCalledOnce();
    expect(JSON.parse(await read(saved[0]))).toEqual(proof);
    click.mockRestore();
  });

  it('counts down to the proof when the head cannot be told and the proof is not ready yet', async () => {
    serveApi({
      'GET /audit/proofs/bookings/b1': new Answer({ code: 'PROOF_NOT_YET_SIGNED', message: 'No signed tree head covers this event yet' }, 409, { 'retry-after': '30' }),
    });
    renderWithProviders(<BookingConfirmation booking={{ ...booking, position: null }} currency="EUR" onClose={() => {}} />);

    await userEvent.click(screen.getByRole('button', { name: 'Download proof of booking' }));

    expect(await screen.findByTestId('proof-waiting')).toHaveTextContent('The proof of this booking is almost ready');
    expect(screen.getByTestId('proof-countdown')).toHaveTextContent(/00:(29|30)/);
  });
});

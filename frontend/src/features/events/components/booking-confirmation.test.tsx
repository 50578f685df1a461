import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AxiosError, type AxiosAdapter } from 'axios';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { api } from '@/lib/api-client';
import { renderWithProviders } from '@/testing/test-utils';
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

function serve(calls: string[], status = 200): AxiosAdapter {
  return async (config) => {
    calls.push(`${config.method?.toUpperCase()} ${config.url}`);
    if (status !== 200) {
      const body = { code: 'PROOF_NOT_YET_SIGNED', message: 'No signed tree head covers this event yet' };
      const response = { data: body, status, statusText: '', headers: { 'retry-after': '30' }, config };
      if (config.validateStatus?.(status)) return response;
      throw new AxiosError('failed', String(status), config, {}, response);
    }
    return { data: proof, status: 200, statusText: 'OK', headers: {}, config };
  };
}

describe('BookingConfirmation', () => {
  it('says one category\'s seats as before, each ticket with its category', () => {
    renderWithProviders(<BookingConfirmation booking={booking} currency="EUR" onClose={() => {}} />);
    expect(screen.getByRole('heading', { name: '✓ Booked: 1 × VIP' })).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Your order' })).toBeNull();
    expect(screen.getByTestId('ticket-category')).toHaveTextContent('VIP');
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

  it('tells a buyer who chose a bank transfer what to transfer and the reference to quote', () => {
    const owed: Booking = {
      ...booking, payment: { status: 'awaiting_payment', provider: 'offline', amount: '40.00', currency: 'EUR',
        refunded: '0.00', message: null, updated_at: '2030-01-01T10:00:00Z', reference: 'BT-ABCD2345' },
    };
    renderWithProviders(<BookingConfirmation booking={owed} currency="EUR" onClose={() => {}} />);
    expect(screen.getByTestId('transfer-amount')).toHaveTextContent(/€\s?40\.00/);
    expect(screen.getByTestId('transfer-reference')).toHaveTextContent('BT-ABCD2345');
  });

  it('says nothing of a transfer for a booking paid by card', () => {
    renderWithProviders(<BookingConfirmation booking={booking} currency="EUR" onClose={() => {}} />);
    expect(screen.queryByTestId('transfer-due')).toBeNull();
  });
});

describe('BookingConfirmation proof download', () => {
  const original = api.defaults.adapter;
  afterEach(() => { api.defaults.adapter = original; vi.unstubAllGlobals(); });

  it('fetches the booking proof and saves it as a JSON file', async () => {
    const calls: string[] = [];
    api.defaults.adapter = serve(calls);
    const saved: Blob[] = [];
    vi.stubGlobal('URL', Object.assign(URL, {
      createObjectURL: (blob: Blob) => { saved.push(blob); return 'blob:proof'; },
      revokeObjectURL: () => {},
    }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderWithProviders(<BookingConfirmation booking={booking} currency="EUR" onClose={() => {}} />);

    await userEvent.click(screen.getByRole('button', { name: 'Download proof' }));

    expect(await screen.findByRole('status')).toHaveTextContent('event 5 of 9');
    expect(calls).toEqual(['GET /audit/proofs/bookings/b1']);
    expect(click).toHaveBeenCalledOnce();
    expect(JSON.parse(await read(saved[0]))).toEqual(proof);
    click.mockRestore();
  });

  it('counts down to the next signed head when no proof can be given yet', async () => {
    api.defaults.adapter = serve([], 409);
    renderWithProviders(<BookingConfirmation booking={booking} currency="EUR" onClose={() => {}} />);

    await userEvent.click(screen.getByRole('button', { name: 'Download proof' }));

    expect(await screen.findByTestId('proof-waiting')).toHaveTextContent('No signed head covers this booking yet');
    expect(screen.getByTestId('proof-countdown')).toHaveTextContent(/00:(29|30)/);
  });
});

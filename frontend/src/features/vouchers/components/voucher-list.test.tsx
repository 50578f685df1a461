import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { type Call, serveApi } from '@/testing/mock-api';
import { renderWithProviders } from '@/testing/test-utils';
import type { Voucher } from '@/lib/vouchers';

import { VoucherList } from './voucher-list';

const voucher = (code: string, over: Partial<Voucher> = {}): Voucher => ({
  code, discount: 'percent', value: '20.00', max_uses: 10, redeemed: 3, bookings: 2, revenue: '120.00', discounts: '30.00',
  valid_from: null, valid_until: '2099-03-01T00:00:00Z', categories: ['General'], label: 'early birds', disabled: false, reserve: false,
  created_at: '2030-01-01T12:00:00Z', ...over,
});

const renderList = () => renderWithProviders(<VoucherList eventId="e1" currency="EUR" zone="Europe/London" />);

describe('VoucherList', () => {
  it('shows each voucher as a card: its discount, uses, validity, categories, label and what it sold', async () => {
    serveApi({ 'GET /events/e1/vouchers': { items: [voucher('EARLY-BIRD'), voucher('PRESS-7KQH', { discount: 'set_price', value: '0.00', max_uses: 1, redeemed: 1, bookings: 1, revenue: '0.00', discounts: '25.00', valid_until: null, categories: null, label: 'press' })], next_cursor: null, position: 3 } });
    renderList();
    const early = await screen.findByTestId('voucher-EARLY-BIRD');
    expect(within(early).getByTestId('voucher-discount')).toHaveTextContent('20 % off');
    expect(within(early).getByTestId('voucher-uses')).toHaveTextContent('3 of 10 seats used');
    expect(early).toHaveTextContent(/Until Sun, (1 Mar|Mar 1),? 2099, (00:00|12:00 AM) UTC\+0 \(London/);
    expect(early).toHaveTextContent('General');
    expect(early).toHaveTextContent('early birds');
    expect(within(early).getByTestId('voucher-revenue')).toHaveTextContent(/^€\s?120\.00 in 2 bookings$/);
    expect(within(early).getByTestId('voucher-discounts')).toHaveTextContent(/^€\s?30\.00$/);
    expect(within(early).getByText('active')).toBeInTheDocument();
    const press = screen.getByTestId('voucher-PRESS-7KQH');
    expect(within(press).getByTestId('voucher-discount')).toHaveTextContent(/^€\s?0\.00: free$/);
    expect(within(press).getByText('used up')).toBeInTheDocument();
    expect(press).toHaveTextContent('All categories');
    expect(press).toHaveTextContent('Any time until the event');
  });

  it('disables a voucher only once the organizer confirms, then shows it disabled', async () => {
    let disabled = false;
    const calls = serveApi({
      'GET /events/e1/vouchers': () => ({ items: [voucher('EARLY-BIRD', { disabled })], next_cursor: null, position: 3 }),
      'POST /events/e1/vouchers/EARLY-BIRD/disable': () => { disabled = true; return { code: 'EARLY-BIRD', disabled: true, position: 4 }; },
    });
    renderList();
    await userEvent.click(await screen.findByRole('button', { name: 'Disable voucher EARLY-BIRD' }));
    const dialog = screen.getByRole('dialog', { name: 'Disable voucher EARLY-BIRD?', hidden: true });
    expect(dialog).toHaveTextContent('The 3 tickets booked with it stay booked at its price.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Keep it', hidden: true }));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: 'Disable voucher EARLY-BIRD' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Disable it', hidden: true }));
    const card = screen.getByTestId('voucher-EARLY-BIRD');
    await waitFor(() => expect(within(card).getByText('disabled')).toBeInTheDocument());
    expect(within(card).queryByRole('button', { name: /Disable/ })).toBeNull();
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/events/e1/vouchers/EARLY-BIRD/disable']);
  });

  it('shows more, page by page, with the next cursor', async () => {
    const calls = serveApi({
      'GET /events/e1/vouchers': ({ params }: Call) => (params.cursor === 'c2'
        ? { items: [voucher('OLDER-ONE')], next_cursor: null, position: 3 }
        : { items: [voucher('NEWER-ONE')], next_cursor: 'c2', position: 3 }),
    });
    renderList();
    await screen.findByTestId('voucher-NEWER-ONE');
    await userEvent.click(screen.getByRole('button', { name: 'Show more' }));
    expect(await screen.findByTestId('voucher-OLDER-ONE')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
    expect(calls.map((c) => c.params.cursor)).toEqual([undefined, 'c2']);
  });

  it('says there are none yet', async () => {
    serveApi({ 'GET /events/e1/vouchers': { items: [], next_cursor: null, position: 3 } });
    renderList();
    expect(await screen.findByRole('heading', { name: 'No vouchers yet' })).toBeInTheDocument();
  });
});

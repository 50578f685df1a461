import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AxiosAdapter } from 'axios';
import { afterEach, describe, expect, it } from 'vitest';

import { api } from '@/lib/api-client';
import { serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import type { Stats } from '../api/stats';
import { AdminDashboard } from './admin-dashboard';

const row = { status: 'active' as const, published: true, organizer_id: 'o1', organizer_name: 'Olivia', bookings_cancelled: 0 };
// Jazz's bookings are owed (paid at the door later): sold, nothing collected yet. Fado's were paid
// by card, one ticket's refund given back. Salsa is free.
const stats: Stats = {
  events: [
    { ...row, id: 'e1', name: 'Jazz', currency: 'GBP', bookings: 2, tickets_sold: 3, revenue: '112.50', refunds: '0.00', net: '112.50',
      collected: '0.00', returned: '0.00', collected_net: '0.00' },
    { ...row, id: 'e2', name: 'Fado', currency: 'EUR', bookings: 1, tickets_sold: 2, revenue: '80.00', refunds: '40.00', net: '40.00',
      collected: '80.00', returned: '40.00', collected_net: '40.00' },
    { ...row, id: 'e3', name: 'Salsa', currency: 'EUR', bookings: 1, tickets_sold: 1, revenue: '0.00', refunds: '0.00', net: '0.00',
      collected: '0.00', returned: '0.00', collected_net: '0.00' },
  ],
  totals: {
    events: 3, bookings: 4, bookings_cancelled: 0, tickets_sold: 6,
    money: [
      { currency: 'EUR', events: 2, revenue: '80.00', refunds: '40.00', net: '40.00', collected: '80.00', returned: '40.00', collected_net: '40.00' },
      { currency: 'GBP', events: 1, revenue: '112.50', refunds: '0.00', net: '112.50', collected: '0.00', returned: '0.00', collected_net: '0.00' },
    ],
  },
  sales_over_time: [],
  position: 7,
};

const serve: AxiosAdapter = async (config) => {
  if (config.url === '/admin/stats') return { data: stats, status: 200, statusText: 'OK', headers: {}, config };
  throw new Error(`unexpected ${config.method} ${config.url}`);
};

describe('AdminDashboard', () => {
  const original = api.defaults.adapter;
  afterEach(() => { api.defaults.adapter = original; });

  it('shows each event in its own currency and money per currency, never summed', async () => {
    api.defaults.adapter = serve;
    renderWithProviders(<AdminDashboard />);
    const jazz = await screen.findByTestId('stats-Jazz');
    expect(within(jazz).getByTestId('revenue').textContent).toMatch(/£\s?112\.50/);
    expect(within(screen.getByTestId('stats-Fado')).getByTestId('revenue').textContent).toMatch(/€\s?80\.00/);
    expect(screen.getByTestId('money-GBP').textContent).toMatch(/£\s?112\.50/);
    expect(screen.getByTestId('money-EUR').textContent).toMatch(/€\s?40\.00/);
    // 112.50 + 80.00 in any currency would be a sum across currencies.
    expect(document.body.textContent).not.toMatch(/192\.50/);
    expect(screen.getByText('Your events')).toBeTruthy();
  });

  it('heads each currency with the net collected by payments, the net sales labelled beside it', async () => {
    api.defaults.adapter = serve;
    renderWithProviders(<AdminDashboard />);
    const collected = await screen.findByTestId('kpi-collected-GBP');
    // Sold but owed: the headline is the money taken, not the prices booked.
    expect(within(collected).getByText('Net collected · GBP')).toBeTruthy();
    expect(collected.querySelector('.kpi__value')?.textContent).toMatch(/£\s?0\.00/);
    const sales = screen.getByTestId('kpi-sales-net-GBP');
    expect(within(sales).getByText('Net sales · GBP')).toBeTruthy();
    expect(sales.querySelector('.kpi__value')?.textContent).toMatch(/£\s?112\.50/);
    const euros = screen.getByTestId('kpi-collected-EUR');
    expect(euros.querySelector('.kpi__value')?.textContent).toMatch(/€\s?40\.00/);
    expect(euros.textContent).toMatch(/€\s?80\.00 collected · €\s?40\.00 returned/);
  });

  it('shows collected and returned per currency and per event, free events at 0.00', async () => {
    api.defaults.adapter = serve;
    renderWithProviders(<AdminDashboard />);
    const fado = await screen.findByTestId('stats-Fado');
    expect(within(fado).getByTestId('collected').textContent).toMatch(/€\s?80\.00/);
    expect(within(fado).getByTestId('returned').textContent).toMatch(/€\s?40\.00/);
    const salsa = screen.getByTestId('stats-Salsa');
    expect(within(salsa).getByTestId('collected').textContent).toMatch(/€\s?0\.00/);
    expect(within(salsa).getByTestId('returned').textContent).toMatch(/€\s?0\.00/);
    expect(within(screen.getByTestId('stats-Jazz')).getByTestId('collected').textContent).toMatch(/£\s?0\.00/);

    const eur = screen.getByTestId('money-EUR');
    expect(within(eur).getByTestId('collected').textContent).toMatch(/€\s?80\.00/);
    expect(within(eur).getByTestId('returned').textContent).toMatch(/€\s?40\.00/);
    expect(within(eur).getByTestId('collected-net').textContent).toMatch(/€\s?40\.00/);
    const gbp = screen.getByTestId('money-GBP');
    expect(within(gbp).getByTestId('sales-net').textContent).toMatch(/£\s?112\.50/);
    expect(within(gbp).getByTestId('collected-net').textContent).toMatch(/£\s?0\.00/);
    const perCurrency = within(screen.getByRole('table', { name: 'Revenue per currency' }));
    for (const name of ['Gross sales', 'Refunded', 'Net sales', 'Collected', 'Returned', 'Net collected']) {
      expect(perCurrency.getByRole('columnheader', { name })).toBeTruthy();
    }
    const perEvent = within(screen.getByRole('table', { name: 'Events with sales' }));
    for (const name of ['Gross sales', 'Refunded', 'Collected', 'Returned']) {
      expect(perEvent.getByRole('columnheader', { name })).toBeTruthy();
    }
  });

  it('offers its organizer to discard a draft, not to cancel it with refunds', async () => {
    const draft = { ...stats.events[2]!, id: 'e4', name: 'Draft gig', published: false, bookings: 0, tickets_sold: 0 };
    const calls = serveApi({ 'GET /admin/stats': { ...stats, events: [stats.events[0], draft] }, 'POST /events/e4/cancel': { id: 'e4', position: 9 } });
    renderWithProviders(<AdminDashboard />, { user: userOf('organizer', 'o1') });
    const row = await screen.findByTestId('stats-Draft gig');
    expect(within(row).queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(within(screen.getByTestId('stats-Jazz')).getByRole('button', { name: 'Cancel' })).toBeInTheDocument();
    await userEvent.click(within(row).getByRole('button', { name: 'Discard' }));
    const dialog = screen.getByRole('dialog', { name: 'Discard “Draft gig”?', hidden: true });
    expect(dialog).toHaveTextContent('It was never on sale, so nobody has tickets for it.');
    expect(dialog).not.toHaveTextContent('refunded');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Discard it', hidden: true }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/events/e4/cancel']));
  });
});

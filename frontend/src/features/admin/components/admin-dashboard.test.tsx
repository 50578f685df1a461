import { screen, within } from '@testing-library/react';
import type { AxiosAdapter } from 'axios';
import { afterEach, describe, expect, it } from 'vitest';

import { api } from '@/lib/api-client';
import { renderWithProviders } from '@/testing/test-utils';

import type { Stats } from '../api/stats';
import { AdminDashboard } from './admin-dashboard';

const row = { status: 'active' as const, organizer_id: 'o1', organizer_name: 'Olivia', bookings_cancelled: 0 };
const stats: Stats = {
  events: [
    { ...row, id: 'e1', name: 'Jazz', currency: 'GBP', bookings: 2, tickets_sold: 3, revenue: '112.50', refunds: '0.00', net: '112.50' },
    { ...row, id: 'e2', name: 'Fado', currency: 'EUR', bookings: 1, tickets_sold: 2, revenue: '80.00', refunds: '40.00', net: '40.00' },
  ],
  totals: {
    events: 2, bookings: 3, bookings_cancelled: 0, tickets_sold: 5,
    money: [
      { currency: 'EUR', events: 1, revenue: '80.00', refunds: '40.00', net: '40.00' },
      { currency: 'GBP', events: 1, revenue: '112.50', refunds: '0.00', net: '112.50' },
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
});

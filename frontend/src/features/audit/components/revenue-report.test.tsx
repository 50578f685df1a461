import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { Answer, PENDING, serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import type { RevenueReport as Report } from '../api/revenue';
import { RevenueReport, dayBound, revenueQuery } from './revenue-report';

const report: Report = {
  from: '2030-01-01T00:00:00Z', to: '2030-02-01T00:00:00Z', group: 'event', next_offset: null,
  rows: [
    { key: 'e1', name: 'Jazz', currency: 'GBP', revenue: '112.50', tickets_sold: 3, bookings: 2, cancellations: 0, refunded: '0.00', net: '112.50', collected: '0.00', returned: '0.00', collected_net: '0.00' },
    { key: 'e2', name: 'Fado', currency: 'EUR', revenue: '80.00', tickets_sold: 2, bookings: 1, cancellations: 1, refunded: '30.00', net: '50.00', collected: '80.00', returned: '25.00', collected_net: '55.00' },
  ],
  totals: [
    { currency: 'EUR', revenue: '80.00', tickets_sold: 2, bookings: 1, cancellations: 1, refunded: '30.00', net: '50.00', collected: '80.00', returned: '25.00', collected_net: '55.00' },
    { currency: 'GBP', revenue: '112.50', tickets_sold: 3, bookings: 2, cancellations: 0, refunded: '0.00', net: '112.50', collected: '0.00', returned: '0.00', collected_net: '0.00' },
  ],
  series: [{ day: '2030-01-02', currency: 'EUR', revenue: '80.00', tickets_sold: 2 }],
};
const auditor = userOf('auditor');

describe('RevenueReport', () => {
  afterEach(() => { vi.unstubAllGlobals(); vi.restoreAllMocks(); });

  it('waits for the figures', () => {
    serveApi({ 'GET /audit/revenue': PENDING });
    renderWithProviders(<RevenueReport />, { user: auditor });
    expect(screen.getByText(/Adding up the revenue/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Download CSV' })).toBeDisabled();
  });

  it('says plainly when the server has no revenue endpoint yet', async () => {
    serveApi({});
    renderWithProviders(<RevenueReport />, { user: auditor });
    expect(await screen.findByRole('alert')).toHaveTextContent(/does not offer this yet/);
  });

  it('says when nothing sold in the period', async () => {
    serveApi({ 'GET /audit/revenue': { ...report, rows: [], totals: [], series: [] } });
    renderWithProviders(<RevenueReport />, { user: auditor });
    expect(await screen.findByText('No sales in this period')).toBeInTheDocument();
  });

  it('shows every currency apart, never summed, and downloads the same query as CSV', async () => {
    const calls = serveApi({
      'GET /audit/revenue': report,
      'GET /audit/revenue.csv': new Answer('key,name\n', 200, { 'content-disposition': 'attachment; filename="revenue-x.csv"' }),
    });
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => {} }));
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderWithProviders(<RevenueReport />, { user: auditor, route: '/audit/revenue?from=2030-01-01&to=2030-01-31' });

    expect((await screen.findByTestId('revenue-total-GBP')).textContent).toMatch(/£\s?112\.50/);
    expect(screen.getByTestId('revenue-total-EUR').textContent).toMatch(/€\s?80\.00/);
    expect(document.body.textContent).not.toMatch(/192\.50/);
    expect(within(screen.getByTestId('revenue-row-Fado')).getByText(/€\s?30\.00/)).toBeInTheDocument(); // refunded
    expect(within(screen.getByTestId('revenue-row-Fado')).getByText(/€\s?50\.00/)).toBeInTheDocument(); // net
    expect(screen.getByTestId('revenue-net-EUR').textContent).toMatch(/Net sales €\s?50\.00/);
    expect(screen.getByTestId('revenue-collected-EUR').textContent).toMatch(/Collected €\s?80\.00 · returned €\s?25\.00 · net collected €\s?55\.00/);
    expect(calls[0].params).toMatchObject({ group: 'event', from: dayBound('2030-01-01'), to: dayBound('2030-01-31', true) });

    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    expect(await screen.findByText('Saved revenue-x.csv')).toBeInTheDocument();
    const csv = calls.find((c) => c.url === '/audit/revenue.csv');
    expect(csv?.params).toEqual(calls[0].params);
  });

  it('asks per organizer when the group changes', async () => {
    const calls = serveApi({ 'GET /audit/revenue': ({ params }: { params: Record<string, unknown> }) => ({ ...report, group: params.group }) });
    renderWithProviders(<RevenueReport />, { user: auditor, route: '/audit/revenue' });
    await screen.findByTestId('revenue-total-GBP');
    await userEvent.selectOptions(screen.getByLabelText('Group'), 'organizer');
    await screen.findByRole('heading', { name: 'Per organizer' });
    expect(calls.at(-1)?.params).toMatchObject({ group: 'organizer' });
  });
});

describe('RevenueReport rows', () => {
  it('pages the rows by offset, the totals and chart staying those of the first page', async () => {
    const calls = serveApi({
      'GET /audit/revenue': ({ params }: { params: Record<string, unknown> }) => (params.offset
        ? { ...report, rows: [{ ...report.rows[0], key: 'e3', name: 'Tango' }], next_offset: null }
        : { ...report, next_offset: 2 }),
    });
    renderWithProviders(<RevenueReport />, { user: auditor, route: '/audit/revenue' });
    await screen.findByTestId('revenue-row-Jazz');
    await userEvent.click(screen.getByRole('button', { name: 'More rows' }));
    expect(await screen.findByTestId('revenue-row-Tango')).toBeInTheDocument();
    expect(screen.getByTestId('revenue-row-Fado')).toBeInTheDocument();
    expect(calls.at(-1)?.params).toMatchObject({ offset: 2, group: 'event' });
    expect(screen.queryByRole('button', { name: 'More rows' })).toBeNull();
  });
});

describe('revenueQuery', () => {
  it('reads the period and group from the address, ignoring a bad group', () => {
    expect(revenueQuery(new URLSearchParams('group=nope'))).toEqual({ group: 'event', from: undefined, to: undefined, event_id: undefined, organizer_id: undefined });
    expect(revenueQuery(new URLSearchParams('group=total&event=e1')).event_id).toBe('e1');
  });
});

describe('dayBound', () => {
  it('makes a period [from, to) that includes the last day picked', () => {
    expect(new Date(dayBound('2030-01-31', true)!).getTime() - new Date(dayBound('2030-01-31')!).getTime()).toBe(86_400_000);
    expect(dayBound('31/01/2030')).toBeUndefined();
  });
});

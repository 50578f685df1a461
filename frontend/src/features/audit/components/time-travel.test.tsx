import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { noteServerTime } from '@/lib/server-clock';
import { PENDING, refuse, serveApi, type Call } from '@/testing/mock-api';
import { renderWithProviders } from '@/testing/test-utils';

import { TimeTravel } from './time-travel';

const HEAD = 250;
const stored = (version: number) => ({ version, type: version === 1 ? 'EventCreated' : 'SeatsBooked', recorded_at: '2030-01-01T10:00:00Z', position: version + 100, payload: {}, chain: null, form: 2 });
const state = (version: number) => ({
  id: 'e1', name: 'Gala', description: '', venue: '', starts_at: '2030-02-01T20:00:00Z', ends_at: null, currency: 'EUR', status: 'active',
  categories: [{ name: 'General', price: '10.00', capacity: 300, sold: version - 1, available: 301 - version }], total_seats: 300, available_seats: 301 - version,
  max_tickets_per_user: null, created_at: '2030-01-01T10:00:00Z', organizer_id: null, organizer_name: null, co_organizers: [],
  version, recorded_at: '2030-01-01T10:00:00Z', bookings: [], bookings_total: version - 1, bookings_confirmed: version - 1, bookings_next_offset: null,
  holds: [], waitlist: [],
});

/** A stream of 250 versions: more than one page of history. */
function serveStream() {
  return serveApi({
    'GET /audit/events/e1/state': ({ params }: Call) => state(params.at ? HEAD : Number(params.version)),
    'GET /audit/events/e1/history': ({ params }: Call) => {
      const after = Number(params.after_version);
      const limit = Number(params.limit);
      const items = Array.from({ length: Math.max(0, Math.min(limit, HEAD - after)) }, (_, i) => stored(after + i + 1));
      return { items, next_cursor: after + items.length < HEAD ? after + items.length : null };
    },
  });
}

describe('TimeTravel', () => {
  it('waits for the stream', () => {
    serveApi({ 'GET /audit/events/e1/state': PENDING });
    renderWithProviders(<TimeTravel eventId="e1" />, { route: '/audit/events/e1', path: '/audit/events/:eventId' });
    expect(screen.getByText(/Reading the stream/)).toBeInTheDocument();
  });

  it('shows why an event cannot be read', async () => {
    serveApi({ 'GET /audit/events/e1/state': refuse(404, 'EVENT_NOT_FOUND', 'No event e1') });
    renderWithProviders(<TimeTravel eventId="e1" />, { route: '/audit/events/e1', path: '/audit/events/:eventId' });
    expect(await screen.findByRole('alert')).toHaveTextContent('There is no such event');
  });

  it('opens at the latest version with the last page of history, and loads earlier pages without a cap', async () => {
    const calls = serveStream();
    renderWithProviders(<TimeTravel eventId="e1" />, { route: '/audit/events/e1', path: '/audit/events/:eventId' });
    expect(await screen.findByText('250', { selector: '[data-testid="state-version"]' })).toBeInTheDocument();
    // Text queries: role queries over hundreds of versions are slow in jsdom.
    expect((await screen.findByText('v250 · Seats booked')).closest('button')).toHaveAttribute('aria-current', 'step');
    expect(calls.find((c) => c.url.endsWith('/history'))?.params).toEqual({ after_version: 150, limit: 100 });
    await userEvent.click(screen.getByText(/Earlier versions/));
    expect(await screen.findByText('v51 · Seats booked')).toBeInTheDocument();
    await userEvent.click(screen.getByText(/Earlier versions/));
    expect(await screen.findByText('v1 · Event created')).toBeInTheDocument();
    expect(calls.filter((c) => c.url.endsWith('/history')).map((c) => c.params)).toEqual([
      { after_version: 150, limit: 100 }, { after_version: 50, limit: 100 }, { after_version: 0, limit: 50 },
    ]);
    expect(screen.queryByText(/Earlier versions/)).toBeNull();
  });

  it("asks for the head at the server's now, not a device's clock that is behind it", async () => {
    const hourAhead = Date.now() + 3_600_000;
    noteServerTime(String(hourAhead), Date.now(), Date.now());
    const calls = serveStream();
    renderWithProviders(<TimeTravel eventId="e1" />, { route: '/audit/events/e1', path: '/audit/events/:eventId' });
    expect(await screen.findByText('250', { selector: '[data-testid="state-version"]' })).toBeInTheDocument();
    const asked = Date.parse(String(calls.find((c) => c.params.at)?.params.at));
    expect(asked).toBeGreaterThanOrEqual(hourAhead);
    expect(asked - hourAhead).toBeLessThan(60_000);
  });

  it('opens at the version the address asks for (a log entry links there)', async () => {
    serveStream();
    renderWithProviders(<TimeTravel eventId="e1" />, { route: '/audit/events/e1?version=30', path: '/audit/events/:eventId' });
    expect(await screen.findByTestId('state-seats')).toHaveTextContent('271 of 300 seats left');
    expect(screen.getByTestId('state-version')).toHaveTextContent('30');
    expect(await screen.findByRole('button', { name: /v30 · Seats booked/ })).toHaveAttribute('aria-current', 'step');
    await userEvent.click(screen.getByRole('button', { name: 'Next ▶' }));
    expect(await screen.findByTestId('state-seats')).toHaveTextContent('270 of 300 seats left');
  });

  it('shows the holds and the waitlist places of the version shown, and says when there were none', async () => {
    const held = {
      id: 'h1', user_id: 'a1b2c3d4-0000-4000-8000-000000000001', user_name: 'Bob', category: 'VIP', quantity: 2,
      lines: [{ category: 'VIP', quantity: 2, unit_price: '30.00' }], expires_at: '2030-01-01T10:10:00Z', offer_for: null,
    };
    const offered = { ...held, id: 'h2', user_name: 'Dan', quantity: 1, lines: [{ category: 'General', quantity: 1, unit_price: '10.00' }], category: 'General', offer_for: 'p0' };
    const place = (id: string, rank: number, user_name: string, category: string, quantity: number) => ({
      id, rank, user_id: `${id}0000000-0000-4000-8000-000000000000`, user_name, category, quantity, joined_at: '2030-01-01T10:01:00Z',
    });
    serveApi({
      'GET /audit/events/e1/state': ({ params }: Call) => (Number(params.version) === 3
        ? { ...state(3), holds: [held, offered], waitlist: [place('p1', 1, 'Carol', 'General', 1), place('p2', 1, 'Erin', 'VIP', 2), place('p3', 2, 'Dave', 'General', 3)] }
        : state(params.at ? 4 : Number(params.version))),
      'GET /audit/events/e1/history': { items: [1, 2, 3, 4].map(stored), next_cursor: null },
    });
    renderWithProviders(<TimeTravel eventId="e1" />, { route: '/audit/events/e1?version=3', path: '/audit/events/:eventId' });
    const holds = await screen.findByRole('table', { name: 'Holds at this version' });
    expect(within(holds).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual([
      expect.stringMatching(/^Bob a1b2c3d42 × VIP.*2030/), expect.stringMatching(/^Dan a1b2c3d41 × General offer.*2030/),
    ]);
    const line = screen.getByRole('table', { name: 'Waitlist at this version' });
    expect(within(line).getAllByRole('row').slice(1).map((r) => [...r.children].map((c) => c.textContent))).toEqual([
      ['#1', 'General', '1', 'Carol p1000000'], ['#1', 'VIP', '2', 'Erin p2000000'], ['#2', 'General', '3', 'Dave p3000000'],
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Next ▶' }));
    expect(await screen.findByTestId('state-no-holds')).toHaveTextContent('No seats were held.');
    expect(screen.getByTestId('state-no-waitlist')).toHaveTextContent('No one was on a waitlist.');
  });
});

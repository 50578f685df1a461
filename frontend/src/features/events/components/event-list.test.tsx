import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';

import { noteServerTime } from '@/lib/server-clock';
import { PENDING, refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders } from '@/testing/test-utils';
import type { LedgerEvent } from '@/types/api';

import { viewParams, type EventFilters } from '../api/get-events';
import { EventFiltersBar } from './event-filters';
import { EventList, priceFrom } from './event-list';

const NOW = '2030-06-01T12:00:00.000Z';
const event = (over: Partial<LedgerEvent> = {}): LedgerEvent => ({
  id: 'e1', name: 'Gala', description: 'A night of jazz.\nSecond line.\nThird line.', venue: 'Opera', starts_at: '2999-02-01T20:00:00Z',
  ends_at: null, currency: 'EUR', status: 'active', categories: [{ name: 'General', price: '10.00', capacity: 10, sold: 0, held: 0, waitlisted: 0, available: 10, hidden: false, reserved: 0 }],
  total_seats: 10, available_seats: 10, max_tickets_per_user: null, created_at: '2030-01-01T10:00:00Z', organizer_id: null,
  organizer_name: null, co_organizers: [], timezone: 'UTC', published: true, ...over,
});

describe('priceFrom', () => {
  const category = (name: string, price: string) => ({ name, price, capacity: 10, sold: 0, held: 0, waitlisted: 0, available: 10, hidden: false, reserved: 0 });

  it('says free for a free event, never "from €0.00"', () => {
    expect(priceFrom(event({ categories: [category('General', '0.00')] }))).toBe('Free');
    expect(priceFrom(event({ categories: [category('A', '0.00'), category('B', '0')] }))).toBe('Free');
    expect(priceFrom(event({ categories: [category('Guests', '0.00'), category('VIP', '60.00')] })))
      .toMatch(/^Free, or from €\s?60\.00$/);
  });

  it('gives the price, or the lowest of several', () => {
    expect(priceFrom(event())).toMatch(/^€\s?10\.00$/);
    expect(priceFrom(event({ categories: [category('A', '25.00'), category('B', '60.00')] }))).toMatch(/^from €\s?25\.00$/);
  });
});

describe('viewParams', () => {
  it('asks for what is on sale with no parameters, and names the other views as the API does', () => {
    expect(viewParams({}, NOW)).toEqual({});
    expect(viewParams({ view: 'past' }, NOW)).toEqual({ status: 'all', starts_after: undefined, starts_before: NOW });
    expect(viewParams({ view: 'cancelled' }, NOW)).toEqual({ status: 'cancelled', starts_after: undefined, starts_before: undefined });
    expect(viewParams({ view: 'all' }, NOW)).toEqual({ status: 'all', starts_after: undefined, starts_before: undefined });
  });

  it('keeps "on sale" to events not started yet when dates are given', () => {
    expect(viewParams({ startsAfter: '2030-01-01T00:00:00Z' }, NOW)).toEqual({ status: 'active', starts_after: NOW, starts_before: undefined });
    expect(viewParams({ view: 'past', startsBefore: '2031-01-01T00:00:00Z' }, NOW).starts_before).toBe(NOW);
  });

  it("draws the line between past and on sale at the server's now, not a device's clock behind it", () => {
    const server = Date.now() + 3_600_000;
    noteServerTime(String(server), Date.now(), Date.now());
    const before = Date.parse(viewParams({ view: 'past' }).starts_before ?? '');
    expect(before).toBeGreaterThanOrEqual(server);
    expect(before - server).toBeLessThan(60_000);
  });
});

describe('EventList', () => {
  it('waits for the events', () => {
    serveApi({ 'GET /events': PENDING });
    renderWithProviders(<EventList filters={{}} />);
    expect(screen.getByText(/Loading events/)).toBeInTheDocument();
  });

  it('says when none match', async () => {
    serveApi({ 'GET /events': { items: [], next_cursor: null } });
    renderWithProviders(<EventList filters={{}} />);
    expect(await screen.findByText('No events match')).toBeInTheDocument();
  });

  it('shows an error', async () => {
    serveApi({ 'GET /events': refuse(503, 'STORE_UNAVAILABLE', 'The database cannot be reached') });
    renderWithProviders(<EventList filters={{}} />);
    expect(await screen.findByRole('alert', {}, { timeout: 5000 })).toHaveTextContent('The ledger cannot be reached right now.');
  });

  it("shows each card's description (clamped by CSS) and a past event as ended", async () => {
    const calls = serveApi({ 'GET /events': { items: [event(), event({ id: 'e2', name: 'Old', starts_at: '2020-01-01T20:00:00Z', ends_at: '2020-01-01T23:00:00Z' })], next_cursor: null } });
    renderWithProviders(<EventList filters={{ view: 'past' }} />);
    const [description] = await screen.findAllByText(/A night of jazz/);
    expect(description).toHaveClass('event-card__description');
    expect(screen.getByText('ended', { selector: '.badge' })).toBeInTheDocument();
    expect(calls[0].params).toMatchObject({ status: 'all' });
  });
});

describe('EventFiltersBar', () => {
  it('offers On sale, Past, Cancelled and All', async () => {
    const seen: EventFilters[] = [];
    function Harness() {
      const [value, setValue] = useState<EventFilters>({});
      return <EventFiltersBar value={value} onChange={(f) => { seen.push(f); setValue(f); }} />;
    }
    renderWithProviders(<Harness />);
    expect(screen.getByRole('button', { name: 'On sale' })).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(screen.getByRole('button', { name: 'Past' }));
    expect(seen.at(-1)?.view).toBe('past');
    expect(screen.getByRole('button', { name: 'Past' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: 'Cancelled' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'All' })).toBeInTheDocument();
  });
});

import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { serveApi } from '@/testing/mock-api';
import { renderWithProviders } from '@/testing/test-utils';
import type { StoredEvent } from '@/types/api';

import { HistoryTimeline, describe as summary } from './history-timeline';

const items: StoredEvent[] = [
  { version: 1, type: 'Created', recorded_at: '2030-01-01T10:00:00Z', position: 3, payload: { name: 'Gala' }, chain: 'a', form: 2 },
  { version: 2, type: 'SeatsBooked', recorded_at: '2030-01-01T11:00:00Z', position: 7, payload: { user_name: 'Ann', quantity: 2, category: 'VIP' }, chain: 'b', form: 2 },
];

/** The server's declared kinds (GET /audit/event-types): the labels are the server's, never the UI's own. */
const declared = (labels: Record<string, string>) => ({
  'GET /audit/event-types': { items: Object.entries(labels).map(([type, label]) => ({ type, label, streams: ['event'], webhook: null })) },
});

describe('HistoryTimeline', () => {
  it('lists every version, marks the selected one and selects on click', async () => {
    serveApi(declared({ Created: 'Event created', SeatsBooked: 'Bought' }));
    const onSelect = vi.fn();
    renderWithProviders(<HistoryTimeline items={items} selected={2} onSelect={onSelect} />);
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    expect(await screen.findByRole('button', { name: /v2 · Bought/ })).toHaveAttribute('aria-current', 'step');
    await userEvent.click(screen.getByRole('button', { name: /v1 · Event created/ }));
    expect(onSelect).toHaveBeenCalledWith(1);
  });

  it('summarises a booking', () => {
    expect(summary(items[1])).toBe('Ann · 2 × VIP');
  });

  it('shows a checked-in ticket by the start of its digest, as the audit API gives it', () => {
    const code = `sha256:${'ab12'.repeat(16)}`;
    const checkedIn: StoredEvent = { version: 3, type: 'TicketCheckedIn', recorded_at: '2030-01-01T12:00:00Z', position: 9, payload: { code }, chain: 'c', form: 2 };
    expect(summary(checkedIn)).toBe('ticket sha256:ab12ab12ab12…');
  });
});

describe('describe, for cancellations', () => {
  it('says who ended a booking and the words they gave', () => {
    const cancelled = (payload: Record<string, unknown>): StoredEvent => ({ version: 5, type: 'BookingCancelled', recorded_at: '2030-01-01T12:00:00Z', position: 9, payload, chain: null, form: 2 });
    expect(summary(cancelled({ quantity: 1, category: 'VIP', reason: 'organizer', stated_reason: 'Double booking' }))).toBe('1 × VIP · by the organizer · “Double booking”');
    expect(summary(cancelled({ quantity: 2, category: 'VIP', reason: 'event_cancelled' }))).toBe('2 × VIP · the event was cancelled');
  });
});

describe('describe, for checkouts and the waitlist', () => {
  const stored = (type: string, payload: Record<string, unknown>): StoredEvent => ({ version: 4, type, recorded_at: '2030-01-01T12:00:00Z', position: 11, payload, chain: null, form: 2 });

  it('says which hold a booking confirmed, and when a hold was an offer to the waitlist', () => {
    const hold = '5d1a2b3c-0000-4000-8000-000000000001';
    expect(summary(stored('SeatsBooked', { user_name: 'Ann', quantity: 2, category: 'VIP', hold_id: hold }))).toBe('Ann · 2 × VIP · hold 5d1a2b3c confirmed');
    expect(summary(stored('SeatsBooked', { user_name: 'Ann', quantity: 2, category: 'VIP', hold_id: null }))).toBe('Ann · 2 × VIP');
    expect(summary(stored('SeatsHeld', { user_name: 'Bo', quantity: 1, category: 'VIP', offer_for: hold }))).toBe('Bo · 1 × VIP · offered to the waitlist');
  });

  it('names the hold and waitlist events in words: the server’s labels, and their names in words while they load', async () => {
    serveApi(declared({ WaitlistJoined: 'Joined the waitlist' }));
    renderWithProviders(<HistoryTimeline items={[stored('SeatsHeld', {}), stored('WaitlistJoined', {})].map((e, i) => ({ ...e, version: i + 1 }))} selected={1} onSelect={vi.fn()} />);
    expect(screen.getByRole('button', { name: /v1 · Seats held/ })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: /v2 · Joined the waitlist/ })).toBeInTheDocument();
  });
});

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { PENDING, serveApi, type Call } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import { EMPTY_PAGE_RECHECK_MS, type LogEntry } from '../api/log';
import { AuditLog, entryLink } from './audit-log';

const EVENT = 'e0e0e0e0-0000-4000-8000-000000000001';
const entry = (position: number, over: Partial<LogEntry> = {}): LogEntry => ({
  position, version: position, type: 'SeatsBooked', recorded_at: '2030-01-01T10:00:00Z', payload: { user_name: 'Ann', quantity: 1, category: 'VIP' },
  chain: null, form: 2, stream: EVENT, aggregate_id: EVENT, aggregate_type: 'Event', ...over,
});
const auditor = userOf('auditor');

describe('AuditLog', () => {
  it('waits for the log', () => {
    serveApi({ 'GET /audit/log': PENDING });
    renderWithProviders(<AuditLog />, { user: auditor });
    expect(screen.getByText(/Reading the log/)).toBeInTheDocument();
  });

  it('says when nothing matches', async () => {
    serveApi({ 'GET /audit/log': { items: [], next_cursor: 0, head: 0 } });
    renderWithProviders(<AuditLog />, { user: auditor });
    expect(await screen.findByText('No entries here')).toBeInTheDocument();
  });

  it('shows the error when the log cannot be read', async () => {
    serveApi({});
    renderWithProviders(<AuditLog />, { user: auditor });
    expect(await screen.findByText('The log cannot be read')).toBeInTheDocument();
  });

  it('offers the kinds the server declares in its filter, by their labels', async () => {
    serveApi({
      'GET /audit/log': { items: [entry(1)], next_cursor: 1, next_after: 1, head: 1 },
      'GET /audit/event-types': { items: [
        { type: 'SeatsBooked', label: 'Seats booked', streams: ['event'], webhook: 'booking.created' },
        { type: 'TicketsCancelled', label: 'Tickets cancelled', streams: ['event', 'booking'], webhook: 'booking.tickets_cancelled' },
      ] },
    });
    renderWithProviders(<AuditLog />, { user: auditor });
    expect(await screen.findByRole('option', { name: 'Tickets cancelled (TicketsCancelled)' })).toBeInTheDocument();
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(
      ['Any type', 'Seats booked (SeatsBooked)', 'Tickets cancelled (TicketsCancelled)']);
  });

  it('pages by position, filters on the server and links each entry to its history at that version', async () => {
    const calls = serveApi({
      'GET /audit/log': ({ params }: Call) => {
        const after = Number(params.after);
        return after === 0
          ? { items: [entry(1), entry(2)], next_cursor: 2, next_after: 2, head: 4 }
          : { items: [entry(after + 1), entry(after + 2)], next_cursor: after + 2, next_after: after + 2, head: 4 };
      },
    });
    renderWithProviders(<AuditLog />, { user: auditor, route: '/audit/log?type=SeatsBooked' });
    const table = await screen.findByRole('table', { name: 'Audit log' });
    expect(within(table).getAllByTestId('log-entry')).toHaveLength(2);
    expect(within(table).getAllByRole('link')[1]).toHaveAttribute('href', `/audit/events/${EVENT}?version=2`);
    expect(calls[0].params).toEqual({ after: 0, limit: 50, type: 'SeatsBooked' });
    expect(screen.getByLabelText('Event type')).toHaveValue('SeatsBooked');

    await userEvent.click(screen.getByRole('button', { name: 'Next ▶' }));
    expect(await screen.findByText('Positions 3–4 · head 4')).toBeInTheDocument();
    expect(calls.at(-1)?.params).toMatchObject({ after: 2 });
    await userEvent.click(screen.getByRole('button', { name: '◀ Previous' }));
    expect(await screen.findByText('Positions 1–2 · head 4')).toBeInTheDocument();
  });

  it('pages on past a window the filters left empty', async () => {
    const calls = serveApi({
      'GET /audit/log': ({ params }: Call) => (Number(params.after) === 0
        ? { items: [], next_cursor: 500, next_after: 500, head: 900 }
        : { items: [entry(501)], next_cursor: 900, next_after: 900, head: 900 }),
    });
    renderWithProviders(<AuditLog />, { user: auditor, route: '/audit/log?type=SeatsBooked' });
    expect(await screen.findByText('After position 0 · head 900')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next ▶' }));
    expect(await screen.findByText('Positions 501–501 · head 900')).toBeInTheDocument();
    expect(calls.at(-1)?.params).toMatchObject({ after: 500 });
  });

  it('asks again for an empty page, and shows the entries that came since', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      let asked = 0;
      serveApi({
        'GET /audit/log': () => {
          asked += 1;
          return asked === 1 ? { items: [], next_cursor: 0, next_after: 0, head: 3 } : { items: [entry(3)], next_cursor: 3, next_after: 3, head: 3 };
        },
      });
      renderWithProviders(<AuditLog />, { user: auditor });
      expect(await screen.findByText('No entries here')).toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Next ▶' })).toBeDisabled(); // caught up: nothing to page to
      await vi.advanceTimersByTimeAsync(EMPTY_PAGE_RECHECK_MS);
      expect(await screen.findByText('Positions 3–3 · head 3')).toBeInTheDocument();
    } finally {
      vi.useRealTimers();
    }
  });

  it('pages on only from the page its filters asked for, not the one shown while it comes', async () => {
    serveApi({
      'GET /audit/log': ({ params }: Call) => (params.event_id ? PENDING : { items: [entry(1), entry(2)], next_cursor: 2, next_after: 2, head: 9 }),
    });
    renderWithProviders(<AuditLog />, { user: auditor });
    expect(await screen.findByText('Positions 1–2 · head 9')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next ▶' })).toBeEnabled();
    await userEvent.type(screen.getByLabelText('Event id'), EVENT);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Next ▶' })).toBeDisabled()); // the last page shown meanwhile
    expect(screen.getByText('Positions 1–2 · head 9')).toBeInTheDocument();
  });

  it('follows new entries after the last one', async () => {
    const calls = serveApi({
      'GET /audit/log': ({ params }: Call) =>
        (Number(params.after) === 0 ? { items: [entry(1)], next_cursor: 1, head: 1 } : { items: params.limit === 200 ? [entry(2)] : [], next_cursor: 2, head: 2 }),
    });
    renderWithProviders(<AuditLog />, { user: auditor });
    await screen.findByRole('table', { name: 'Audit log' });
    await userEvent.click(screen.getByRole('checkbox', { name: 'Follow' }));
    expect(await screen.findByText(/\(1 new\)/)).toBeInTheDocument();
    expect(calls.find((c) => c.params.limit === 200)?.params).toMatchObject({ after: 1 });
    expect(screen.getAllByTestId('log-entry')).toHaveLength(2);
  });
});

describe('entryLink', () => {
  it("links an event's entry to its version, a booking's to its event", () => {
    expect(entryLink(entry(7))).toBe(`/audit/events/${EVENT}?version=7`);
    expect(entryLink(entry(8, { aggregate_type: 'BookingRef', stream: 'b1', aggregate_id: 'b1', payload: { event_id: EVENT } }))).toBe(`/audit/events/${EVENT}`);
  });
});

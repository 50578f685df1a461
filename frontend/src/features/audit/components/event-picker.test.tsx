import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { PENDING, refuse, serveApi, type Call } from '@/testing/mock-api';
import { renderWithProviders } from '@/testing/test-utils';
import type { LedgerEvent } from '@/types/api';

import { EventPicker } from './event-picker';

const event = (i: number) => ({ id: `e${i}`, name: `Event ${i}`, status: i % 2 ? 'active' : 'completed', starts_at: '2020-01-01T20:00:00Z' }) as LedgerEvent;

describe('EventPicker', () => {
  it('waits for the search', () => {
    serveApi({ 'GET /events': PENDING });
    renderWithProviders(<EventPicker />);
    expect(screen.getByText(/Searching/)).toBeInTheDocument();
  });

  it('says when nothing matches', async () => {
    serveApi({ 'GET /events': { items: [], next_cursor: null } });
    renderWithProviders(<EventPicker />);
    expect(await screen.findByText('No events yet')).toBeInTheDocument();
  });

  it('shows an error', async () => {
    serveApi({ 'GET /events': refuse(503, 'STORE_UNAVAILABLE', 'The database cannot be reached') });
    renderWithProviders(<EventPicker />);
    expect(await screen.findByRole('alert')).toHaveTextContent('The ledger cannot be reached right now.');
  });

  it('searches every event on the server and pages past the first page, no cap', async () => {
    const calls = serveApi({
      'GET /events': ({ params }: Call) => (params.cursor
        ? { items: [event(26)], next_cursor: null }
        : { items: Array.from({ length: 25 }, (_, i) => event(i + 1)), next_cursor: 'c1' }),
    });
    renderWithProviders(<EventPicker current="e2" />);
    expect(await screen.findByRole('link', { name: /Event 25/ })).toHaveAttribute('href', '/audit/events/e25');
    expect(screen.getByRole('link', { name: /Event 2\b/ })).toHaveAttribute('aria-current', 'page');
    expect(calls[0].params).toMatchObject({ status: 'all', limit: 25 });
    await userEvent.click(screen.getByRole('button', { name: 'More events' }));
    expect(await screen.findByRole('link', { name: /Event 26/ })).toBeInTheDocument();
    expect(calls.at(-1)?.params).toMatchObject({ cursor: 'c1', status: 'all' });

    await userEvent.type(screen.getByLabelText('Find an event'), 'gala');
    await vi.waitFor(() => expect(calls.at(-1)?.params).toMatchObject({ q: 'gala', status: 'all' }));
  });

  it('keeps the last results out of reach while a new search loads, then shows its answer', async () => {
    const waiting: ((data: unknown) => void)[] = [];  // the searches typed, answered when the test says
    const calls = serveApi({
      'GET /events': ({ params }: Call) => (params.q
        ? new Promise((resolve) => { waiting.push(resolve); })
        : { items: [event(1), event(2)], next_cursor: null }),
    });
    const picked: string[] = [];
    renderWithProviders(<EventPicker onPick={(e) => picked.push(e.id)} />);
    const list = (await screen.findByRole('button', { name: /Event 2/ })).closest('ul');
    expect(list).not.toHaveAttribute('inert');

    await userEvent.type(screen.getByLabelText('Find an event'), 'Event 2');
    await vi.waitFor(() => expect(calls.at(-1)?.params).toMatchObject({ q: 'Event 2' }));
    expect(list).toHaveAttribute('inert');
    expect(list).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByText('Event 1', { exact: false })).toBeInTheDocument();  // still seen, dimmed

    for (const answer of waiting) answer({ items: [event(2)], next_cursor: null });
    await vi.waitFor(() => expect(screen.queryByText(/Event 1/)).toBeNull());
    expect(list).not.toHaveAttribute('inert');
    await userEvent.click(screen.getByRole('button', { name: /Event 2/ }));
    expect(picked).toEqual(['e2']);
  });

  it('offers a choice instead of a link when the page picks an event', async () => {
    serveApi({ 'GET /events': { items: [event(1)], next_cursor: null } });
    const picked: string[] = [];
    renderWithProviders(<EventPicker onPick={(e) => picked.push(e.id)} />);
    await userEvent.click(await screen.findByRole('button', { name: /Event 1/ }));
    expect(picked).toEqual(['e1']);
  });
});

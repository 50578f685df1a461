import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { noteServerTime } from '@/lib/server-clock';
import { refuse, serveApi, type Call } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';
import type { LedgerEvent } from '@/types/api';

import { EventLifecycle } from './event-lifecycle';

const now = new Date('2030-06-01T12:00:00Z');
const event = (over: Partial<LedgerEvent> = {}) => ({
  id: 'e1', name: 'Gala', status: 'active', published: true, starts_at: '2030-06-01T10:00:00Z', ends_at: null, ...over,
}) as LedgerEvent;

describe('EventLifecycle', () => {
  it('completes a started event after a confirmation', async () => {
    const calls = serveApi({ 'POST /events/e1/complete': { ...event(), status: 'completed', position: 9 } });
    renderWithProviders(<EventLifecycle event={event()} admin={false} now={now} />, { user: userOf('organizer') });
    await userEvent.click(screen.getByRole('button', { name: 'Complete the event' }));
    await userEvent.click(screen.getByRole('button', { name: 'Complete it', hidden: true }));
    expect(await screen.findByText('Completed.')).toBeInTheDocument();
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /events/e1/complete']);
    // An organizer cannot cancel once it started.
    expect(screen.queryByRole('button', { name: 'Cancel the event' })).toBeNull();
  });

  it("knows an event started by the server's clock, on a device behind it", () => {
    noteServerTime(String(Date.now() + 3_600_000), Date.now(), Date.now());
    const starts = new Date(Date.now() + 1_800_000).toISOString(); // the device's future, the server's past
    renderWithProviders(<EventLifecycle event={event({ starts_at: starts })} admin={false} />, { user: userOf('organizer') });
    expect(screen.getByRole('button', { name: 'Complete the event' })).toBeEnabled();
  });

  it('cannot complete an event before it starts, and an organizer cancels it without a reason', async () => {
    const calls = serveApi({ 'POST /events/e1/cancel': { ...event(), status: 'cancelled' } });
    renderWithProviders(<EventLifecycle event={event({ starts_at: '2030-07-01T10:00:00Z' })} admin={false} now={now} />, { user: userOf('organizer') });
    expect(screen.getByRole('button', { name: 'Complete the event' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel the event' }));
    await userEvent.click(screen.getAllByRole('button', { name: 'Cancel the event', hidden: true }).at(-1)!);
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].data).toBeUndefined();
  });

  it('asks an admin why when cancelling a started event, and shows a refusal', async () => {
    const calls = serveApi({ 'POST /events/e1/cancel': ({ data }: Call) => (data ? refuse(409, 'EVENT_STARTED', 'Too late') : refuse(422, 'REASON_REQUIRED', 'Say why')) });
    renderWithProviders(<EventLifecycle event={event()} admin now={now} />, { user: userOf('admin') });
    await userEvent.click(screen.getByRole('button', { name: 'Cancel the event' }));
    await userEvent.click(screen.getAllByRole('button', { name: 'Cancel the event', hidden: true }).at(-1)!);
    expect(screen.getByText('Say why: the customer reads it.')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Reason (the customer sees it)'), 'Storm');
    await userEvent.click(screen.getAllByRole('button', { name: 'Cancel the event', hidden: true }).at(-1)!);
    expect(await screen.findByText('The event has started: only an admin may cancel it now, with a reason.')).toBeInTheDocument();
    expect(calls[0].data).toEqual({ reason: 'Storm' });
  });

  it('offers a draft neither completion nor a cancellation with refunds: it is discarded, after a confirmation', async () => {
    const calls = serveApi({ 'POST /events/e1/cancel': { ...event(), status: 'cancelled', published: false } });
    renderWithProviders(<EventLifecycle event={event({ published: false, starts_at: '2030-07-01T10:00:00Z' })} admin={false} now={now} />,
      { user: userOf('organizer') });
    expect(screen.queryByRole('button', { name: 'Complete the event' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cancel the event' })).toBeNull();
    expect(screen.getByTestId('draft-lifecycle')).toHaveTextContent('Not on sale yet: publish it or schedule it');
    await userEvent.click(screen.getByRole('button', { name: 'Discard the draft' }));
    expect(screen.getByText(/It was never on sale, so nobody has tickets for it/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Keep the draft', hidden: true }));
    expect(calls).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Discard the draft' }));
    await userEvent.click(screen.getByRole('button', { name: 'Discard it', hidden: true }));
    await waitFor(() => expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /events/e1/cancel']));
    expect(calls[0].data).toBeUndefined();
  });

  it('offers nothing for a draft whose start has passed', () => {
    renderWithProviders(<EventLifecycle event={event({ published: false })} admin now={now} />, { user: userOf('admin') });
    expect(screen.getByRole('status')).toHaveTextContent('This draft’s start has passed');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('says an ended event needs nothing more', () => {
    renderWithProviders(<EventLifecycle event={event({ status: 'completed' })} admin now={now} />, { user: userOf('admin') });
    expect(screen.getByRole('status')).toHaveTextContent('This event is completed');
  });
});

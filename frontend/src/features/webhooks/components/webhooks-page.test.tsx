import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { ERROR_SENTENCES } from '@/lib/error-sentences';
import { Answer, PENDING, refuse, serveApi, type Call } from '@/testing/mock-api';
import { renderWithProviders, supportDetail, userOf } from '@/testing/test-utils';

import { WEBHOOK_PAGE_ERRORS, WebhooksPage } from './webhooks-page';

const organizer = userOf('organizer', 'olivia');
const admin = userOf('admin', 'root');
const TYPES = ['booking.created', 'booking.cancelled', 'hold.expired'];
const STATS = { events: [{ id: 'e1', name: 'Jazz night', status: 'active' }, { id: 'e2', name: 'Poetry evening', status: 'active' }] };
const hook = (id: string, fields: object = {}) => ({
  id, url: `https://hooks.example.com/${id}`, event_types: ['booking.created'], event_id: 'e1', description: null,
  created_at: '2030-01-01T10:00:00Z', active: true, suspended: false, suspended_reason: null, failing_since: null,
  disabled_at: null, disabled_reason: null, ...fields,
});
const delivery = (position: number, fields: object = {}) => ({
  id: `d${position}`, position, event_type: 'booking.created', status: 'delivered', attempts: 1, last_status_code: 204,
  last_error: null, next_attempt_at: null, delivered_at: '2030-01-01T10:05:00Z', created_at: '2030-01-01T10:04:59Z', ...fields,
});

function serve(routes: Record<string, unknown> = {}) {
  return serveApi({
    'GET /webhooks': { items: [], next_cursor: null },
    'GET /webhooks/event-types': { items: TYPES },
    'GET /admin/stats': STATS,
    ...routes,
  });
}

describe('WebhooksPage', () => {
  it('lists each endpoint with its address, event types, event and status, saying why one is held back', async () => {
    serve({
      'GET /webhooks': {
        items: [
          hook('ok'),
          hook('susp', { suspended: true, suspended_reason: 'its owner no longer runs the event' }),
          hook('off', { event_id: null, disabled_at: '2030-01-02T10:00:00Z', disabled_reason: 'every attempt failed for 24.0 h; the last: HTTP 503' }),
          hook('gone', { active: false }),
        ],
        next_cursor: null,
      },
    });
    renderWithProviders(<WebhooksPage />, { user: admin });
    const cards = await screen.findAllByTestId('webhook');
    expect(cards.map((c) => within(c).getByRole('heading').textContent)).toEqual([
      'https://hooks.example.com/ok', 'https://hooks.example.com/susp', 'https://hooks.example.com/off', 'https://hooks.example.com/gone',
    ]);
    await waitFor(() => expect(cards[0]).toHaveTextContent('For Jazz night'));
    expect(within(cards[0]).getByTestId('webhook-types')).toHaveTextContent('booking.created');
    expect(cards[0]).toHaveTextContent('active');
    expect(within(cards[1]).getByTestId('webhook-status-why')).toHaveTextContent('Suspended: nothing is sent while its owner lacks the rights it needs (its owner no longer runs the event).');
    expect(cards[2]).toHaveTextContent('For every event');
    expect(within(cards[2]).getByTestId('webhook-status-why')).toHaveTextContent(/Disabled .*every attempt failed for 24.0 h; the last: HTTP 503\. A replay enables it again\./);
    expect(within(cards[3]).getByTestId('webhook-status-why')).toHaveTextContent('Deleted');
    expect(within(cards[3]).queryByRole('button', { name: 'Delete' })).toBeNull();
  });

  it("registers an endpoint with the API's event types and shows its secret once, with a copy button", async () => {
    const user = userEvent.setup();
    const calls = serve({
      'POST /webhooks': ({ data }: Call) => new Answer({ ...hook('new'), ...(data as object), secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, 201),
    });
    renderWithProviders(<WebhooksPage />, { user: organizer });
    const form = await screen.findByRole('form', { name: 'Register a webhook' });
    expect((await within(form).findAllByRole('checkbox')).map((c) => c.parentElement?.textContent?.trim())).toEqual(TYPES);

    await user.click(within(form).getByRole('button', { name: 'Register webhook' }));
    expect(within(form).getByText('Choose at least one event type')).toBeInTheDocument();
    expect(within(form).getByText('Choose one of your events')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    await user.type(within(form).getByLabelText('Endpoint URL'), 'https://hooks.example.com/new');
    await user.click(within(form).getByRole('checkbox', { name: 'hold.expired' }));
    await user.click(within(form).getByRole('checkbox', { name: 'booking.created' }));
    await user.selectOptions(within(form).getByLabelText('Event'), 'Poetry evening');
    await user.click(within(form).getByRole('button', { name: 'Register webhook' }));

    const secret = await screen.findByTestId('webhook-secret');
    expect(calls.find((c) => c.method === 'POST')?.data).toEqual({
      url: 'https://hooks.example.com/new', event_types: ['hold.expired', 'booking.created'], event_id: 'e2', description: null,
    });
    expect(secret).toHaveTextContent('You will not see it again');
    expect(within(secret).getByTestId('secret-value')).toHaveTextContent('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    await user.click(within(secret).getByRole('button', { name: 'Copy secret' }));
    expect(await navigator.clipboard.readText()).toBe('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(within(secret).getByRole('button', { name: 'Copied' })).toBeInTheDocument();

    await user.click(within(secret).getByRole('button', { name: 'I have kept it' }));
    expect(screen.queryByTestId('webhook-secret')).toBeNull();
    expect(screen.queryByText(/whsec_/)).toBeNull();
    expect(screen.getByRole('form', { name: 'Register a webhook' })).toBeInTheDocument();
  });

  it("lets an admin leave the event out (every event's)", async () => {
    const calls = serve({ 'POST /webhooks': ({ data }: Call) => new Answer({ ...hook('all'), ...(data as object), secret: 'whsec_x' }, 201) });
    renderWithProviders(<WebhooksPage />, { user: admin });
    const form = await screen.findByRole('form', { name: 'Register a webhook' });
    await userEvent.type(within(form).getByLabelText('Endpoint URL'), 'https://hooks.example.com/all');
    await userEvent.click(await within(form).findByRole('checkbox', { name: 'booking.cancelled' }));
    expect(within(form).getByLabelText('Event (optional)')).toHaveValue('');
    await userEvent.click(within(form).getByRole('button', { name: 'Register webhook' }));
    await screen.findByTestId('webhook-secret');
    expect(calls.find((c) => c.method === 'POST')?.data).toMatchObject({ event_types: ['booking.cancelled'], event_id: null });
  });

  it('says in words why an address was refused, the code only as a detail, and puts field problems under their field', async () => {
    let answer = refuse(422, 'WEBHOOK_ADDRESS_REFUSED', 'hooks.internal resolves to a private address');
    serve({ 'POST /webhooks': () => answer });
    renderWithProviders(<WebhooksPage />, { user: admin });
    const form = await screen.findByRole('form', { name: 'Register a webhook' });
    await userEvent.type(within(form).getByLabelText('Endpoint URL'), 'https://hooks.internal/x');
    await userEvent.click(await within(form).findByRole('checkbox', { name: 'booking.created' }));
    await userEvent.click(within(form).getByRole('button', { name: 'Register webhook' }));
    const alert = await within(form).findByRole('alert');
    expect(alert).toHaveTextContent(ERROR_SENTENCES.WEBHOOK_ADDRESS_REFUSED);
    expect(supportDetail(alert)).toHaveTextContent('Error code WEBHOOK_ADDRESS_REFUSED');
    expect(alert).not.toHaveTextContent('WEBHOOK_ADDRESS_REFUSED');

    answer = refuse(422, 'VALIDATION_ERROR', 'Invalid request', [{ loc: ['body', 'url'], msg: 'String should have at most 2048 characters', type: 'string_too_long' }]);
    await userEvent.click(within(form).getByRole('button', { name: 'Register webhook' }));
    expect(await within(form).findByText('At most 2048 characters')).toHaveClass('field__error');
  });

  it('shows the delivery log and replays from a position, saying how many go out again', async () => {
    const calls = serve({
      'GET /webhooks': { items: [hook('h1')], next_cursor: null },
      'GET /webhooks/h1/deliveries': {
        items: [
          delivery(42, { status: 'pending', attempts: 3, last_status_code: null, last_error: 'no answer: ConnectError', delivered_at: null, next_attempt_at: '2030-01-01T11:00:00Z' }),
          delivery(40, { status: 'failed', attempts: 12, last_status_code: 503, delivered_at: null }),
          delivery(37),
        ],
        next_cursor: null,
      },
      'POST /webhooks/h1/replay': { replayed: 3 },
    });
    renderWithProviders(<WebhooksPage />, { user: organizer });
    await userEvent.click(await screen.findByRole('button', { name: 'Deliveries' }));
    const rows = within(await screen.findByRole('table', { name: 'Deliveries' })).getAllByRole('row').slice(1);
    expect(rows.map((r) => [...r.querySelectorAll('td')].slice(0, 5).map((c) => c.textContent))).toEqual([
      ['42', 'booking.created', 'pending', '3', 'no answer: ConnectError'],
      ['40', 'booking.created', 'failed', '12', 'HTTP 503'],
      ['37', 'booking.created', 'delivered', '1', 'HTTP 204'],
    ]);
    expect(rows[0]).toHaveTextContent('next attempt');
    // The oldest failed delivery is where a replay mends an outage from.
    const position = screen.getByLabelText('Replay from log position');
    expect(position).toHaveValue('40');
    await userEvent.click(screen.getByRole('button', { name: 'Replay' }));
    expect(await screen.findByText('3 deliveries go out again, in order, from position 40.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.data).toEqual({ from_position: 40 });

    await userEvent.clear(position);
    await userEvent.type(position, 'soon');
    await userEvent.click(screen.getByRole('button', { name: 'Replay' }));
    expect(screen.getByText('A log position: a whole number, 0 or more')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('says in words when replays are used up for the hour', async () => {
    serve({
      'GET /webhooks': { items: [hook('h1')], next_cursor: null },
      'GET /webhooks/h1/deliveries': { items: [delivery(5)], next_cursor: null },
      'POST /webhooks/h1/replay': refuse(429, 'TOO_MANY_REPLAYS', 'Webhook h1 was replayed 10 times within the hour; try again in 1200 s'),
    });
    renderWithProviders(<WebhooksPage />, { user: organizer });
    await userEvent.click(await screen.findByRole('button', { name: 'Deliveries' }));
    await userEvent.type(await screen.findByLabelText('Replay from log position'), '5');
    await userEvent.click(screen.getByRole('button', { name: 'Replay' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(ERROR_SENTENCES.TOO_MANY_REPLAYS);
  });

  it('deletes an endpoint once confirmed', async () => {
    let items = [hook('h1')];
    const calls = serve({
      'GET /webhooks': () => ({ items, next_cursor: null }),
      'DELETE /webhooks/h1': () => { items = [hook('h1', { active: false })]; return items[0]; },
    });
    renderWithProviders(<WebhooksPage />, { user: organizer });
    await userEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, delete it', hidden: true }));
    expect(await screen.findByTestId('webhook-status-why')).toHaveTextContent('Deleted');
    expect(calls.some((c) => c.method === 'DELETE')).toBe(true);
  });

  it('waits for the list', () => {
    serve({ 'GET /webhooks': PENDING });
    renderWithProviders(<WebhooksPage />, { user: organizer });
    expect(screen.getByText(/Reading your webhooks/)).toBeInTheDocument();
  });

  it('says when there is none', async () => {
    serve();
    renderWithProviders(<WebhooksPage />, { user: organizer });
    expect(await screen.findByText('No webhooks yet')).toBeInTheDocument();
  });

  it('has a sentence for every error this page can meet', () => {
    for (const code of WEBHOOK_PAGE_ERRORS) expect(ERROR_SENTENCES[code], code).toBeTruthy();
  });
});

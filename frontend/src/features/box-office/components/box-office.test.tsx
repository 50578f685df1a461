import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { clockTime, dateTime, viewerZone } from '@/lib/format';
import { Answer, refuse, serveApi, type Call } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import type { Attendee, BoxOffice as Office } from '../api/box-office';
import { BoxOffice } from './box-office';
import { earlyWarning } from './door';

const organizer = userOf('organizer');
const office: Office = {
  event_id: 'e1', name: 'Gala', status: 'active', currency: 'GBP', starts_at: '2030-06-01T18:00:00Z', position: 7,
  categories: [
    { name: 'Stalls', price: '20.00', capacity: 10, sold: 3, held: 2, waitlisted: 0, waiting: 0, free: 5 },
    { name: 'Balcony', price: '5.00', capacity: 4, sold: 4, held: 0, waitlisted: 1, waiting: 1, free: 0 },
  ],
  money: { currency: 'GBP', bookings: 2, tickets_sold: 7, revenue: '80.00', refunds: '0.00', net: '80.00', collected: '0.00', returned: '0.00', collected_net: '0.00' },
  check_ins: { checked_in: 2, tickets: 7, series: [{ at: '2030-06-01T17:45:00Z', count: 2 }] },
};
const attendee = (over: Partial<Attendee> = {}): Attendee => ({
  code: 'T-1', name: 'Ann', email: 'ann@example.com', category: 'Stalls', status: 'active', checked_in_at: null,
  booking_id: 'b1', booked_at: '2030-01-01T10:00:00Z', ...over,
});
const noMessages = { items: [], next_cursor: null };
const render = () => renderWithProviders(<BoxOffice eventId="e1" zone="Europe/London" canCheckIn />, { user: organizer });

describe('BoxOffice', () => {
  it('shows the seats per category, the money and the check-ins in the reader’s zone, labelled', async () => {
    serveApi({ 'GET /events/e1/box-office': office, 'GET /events/e1/attendees': { items: [], next_cursor: null, position: 7 }, 'GET /events/e1/messages': noMessages });
    render();
    const balcony = await screen.findByTestId('seats-Balcony');
    expect(within(balcony).getByTestId('free')).toHaveTextContent('0');
    expect(within(screen.getByTestId('seats-Stalls')).getByTestId('sold')).toHaveTextContent('3');
    expect(screen.getByLabelText('Money in GBP')).toHaveTextContent(/Gross sales£80\.00/);
    expect(screen.getByTestId('check-in-count')).toHaveTextContent('2 of 7 tickets checked in');
    expect(screen.getByLabelText('Check-ins per quarter hour')).toHaveTextContent(clockTime('2030-06-01T17:45:00Z', viewerZone()));
  });

  it('checks a ticket in at this event’s door, names its holder, and undoes it', async () => {
    const calls = serveApi({
      'GET /events/e1/box-office': office,
      'GET /events/e1/attendees': { items: [], next_cursor: null, position: 7 },
      'GET /events/e1/messages': noMessages,
      'POST /tickets/T-1/check-in': { code: 'T-1', status: 'used', event_id: 'e1', name: 'Ann', category: 'Stalls', checked_in_at: '2030-06-01T18:42:00Z', position: 9 },
      'DELETE /tickets/T-1/check-in': { code: 'T-1', status: 'active', event_id: 'e1', name: 'Ann', category: 'Stalls', checked_in_at: null, position: 10 },
    });
    render();
    await userEvent.type(await screen.findByLabelText('Ticket code'), ' T-1 ');
    await userEvent.click(screen.getByRole('button', { name: 'Check in' }));
    const result = await screen.findByTestId('door-result');
    expect(result).toHaveTextContent('Welcome, Ann!');
    expect(result).toHaveTextContent(`Ann · Stalls · checked in ${dateTime('2030-06-01T18:42:00Z')}`);
    expect(result).toHaveTextContent(/checked in \w{3}, .*2030.* UTC[+\u2212]\d/); // the date and the zone, not a bare clock
    expect(calls.find((c: Call) => c.method === 'POST')?.params).toEqual({ event_id: 'e1' });
    await userEvent.click(within(result).getByRole('button', { name: 'Undo this check-in' }));
    expect(await screen.findByText(/undone: the ticket is live again/)).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'DELETE' && c.url === '/tickets/T-1/check-in')).toBe(true);
  });

  it('says when a ticket scanned again was checked in, and whose it is', async () => {
    serveApi({
      'GET /events/e1/box-office': office,
      'GET /events/e1/attendees': { items: [], next_cursor: null, position: 7 },
      'GET /events/e1/messages': noMessages,
      'POST /tickets/T-1/check-in': refuse(400, 'TICKET_ALREADY_USED', 'The ticket was already checked in at 18:42 UTC', undefined, {
        ticket: { code: 'T-1', status: 'used', name: 'Ann', category: 'Stalls', checked_in_at: '2030-06-01T18:42:00Z' },
      }),
    });
    render();
    await userEvent.type(await screen.findByLabelText('Ticket code'), 'T-1');
    await userEvent.click(screen.getByRole('button', { name: 'Check in' }));
    const result = await screen.findByTestId('door-result');
    expect(result).toHaveTextContent(`Already checked in ${dateTime('2030-06-01T18:42:00Z')}`);
    expect(result).toHaveTextContent('Ann · Stalls');
    expect(within(result).getByRole('button', { name: 'Undo that check-in' })).toBeInTheDocument();
    expect(screen.queryByText('TICKET_ALREADY_USED')).toBeNull();
  });

  it('warns, with the date, when the event starts more than a day after the check-in', async () => {
    serveApi({
      'GET /events/e1/box-office': office,
      'GET /events/e1/attendees': { items: [], next_cursor: null, position: 7 },
      'GET /events/e1/messages': noMessages,
      'POST /tickets/T-1/check-in': { code: 'T-1', status: 'used', event_id: 'e1', name: 'Ann', category: 'Stalls', checked_in_at: '2030-06-01T18:42:00Z', position: 9 },
    });
    const startsAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    renderWithProviders(<BoxOffice eventId="e1" zone="Europe/London" startsAt={startsAt} canCheckIn />, { user: organizer });
    await userEvent.type(await screen.findByLabelText('Ticket code'), 'T-1');
    await userEvent.click(screen.getByRole('button', { name: 'Check in' }));
    expect(await screen.findByTestId('door-early')).toHaveTextContent(/^This event starts on .+ \(London.*\) \u2014 check the date\.$/);
  });

  it('does not warn for an event starting within a day, or started', () => {
    const now = Date.parse('2030-06-01T12:00:00Z');
    expect(earlyWarning('2030-06-02T11:00:00Z', 'Europe/London', now)).toBeNull();
    expect(earlyWarning('2030-06-01T10:00:00Z', 'Europe/London', now)).toBeNull();
    expect(earlyWarning('2030-06-02T13:00:00Z', 'Europe/London', now)).toMatch(/^This event starts on \w{3}, (2 Jun|Jun 2),? 2030, (14:00|2:00 PM) UTC\+1 \(London/);
  });

  it('says in words why a ticket of another event does not open this door', async () => {
    serveApi({
      'GET /events/e1/box-office': office,
      'GET /events/e1/attendees': { items: [], next_cursor: null, position: 7 },
      'GET /events/e1/messages': noMessages,
      'POST /tickets/T-9/check-in': refuse(400, 'TICKET_OF_ANOTHER_EVENT', 'This ticket is for another event'),
    });
    render();
    await userEvent.type(await screen.findByLabelText('Ticket code'), 'T-9');
    await userEvent.click(screen.getByRole('button', { name: 'Check in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This ticket is for another event: it does not open this door.');
  });

  it('searches the attendees and exports them as CSV', async () => {
    const calls = serveApi({
      'GET /events/e1/box-office': office,
      'GET /events/e1/attendees': ({ params }: Call) => ({
        items: params.q === 'ann' ? [attendee({ status: 'used', checked_in_at: '2030-06-01T18:42:00Z' })] : [attendee(), attendee({ code: 'T-2', name: 'Bob', email: 'bob@example.com' })],
        next_cursor: null, position: 7,
      }),
      'GET /events/e1/messages': noMessages,
      'GET /events/e1/attendees.csv': new Answer(new Blob(['ticket_code\r\n']), 200, { 'content-disposition': 'attachment; filename="attendees-e1.csv"' }),
    });
    render();
    expect(await screen.findByTestId('attendee-T-2')).toHaveTextContent('Bob');
    await userEvent.type(screen.getByLabelText('Search attendees'), 'ann');
    await waitFor(() => expect(screen.queryByTestId('attendee-T-2')).toBeNull());
    expect(await screen.findByTestId('attendee-T-1')).toHaveTextContent(`Checked in ${dateTime('2030-06-01T18:42:00Z')}`);
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(calls.some((c) => c.url === '/events/e1/attendees.csv')).toBe(true));
  });

  it('lists the messages to buyers with a refusal in the mail server’s words', async () => {
    serveApi({
      'GET /events/e1/box-office': office,
      'GET /events/e1/attendees': { items: [], next_cursor: null, position: 7 },
      'GET /events/e1/messages': {
        items: [
          { id: 'm1', kind: 'booking_confirmed', status: 'sent', recipient_id: 'u1', recipient_email: 'ann@example.com', recipient_name: 'Ann',
            booking_id: 'b1', resend: 0, attempts: 1, last_error: null, created_at: '2030-06-01T10:00:00Z', sent_at: '2030-06-01T10:00:02Z' },
          { id: 'm2', kind: 'booking_confirmed', status: 'failed', recipient_id: 'u2', recipient_email: 'bob@example.com', recipient_name: 'Bob',
            booking_id: 'b2', resend: 1, attempts: 1, last_error: '550 mailbox unavailable', created_at: '2030-06-01T10:05:00Z', sent_at: null },
          { id: 'm3', kind: 'invoice_issued', status: 'sent', recipient_id: 'u1', recipient_email: 'ann@example.com', recipient_name: 'Ann',
            booking_id: 'b1', resend: 0, attempts: 1, last_error: null, created_at: '2030-06-01T10:06:00Z', sent_at: '2030-06-01T10:06:02Z' },
          { id: 'm4', kind: 'invoice_cancelled', status: 'queued', recipient_id: 'u1', recipient_email: 'ann@example.com', recipient_name: 'Ann',
            booking_id: 'b1', resend: 0, attempts: 0, last_error: null, created_at: '2030-06-01T10:07:00Z', sent_at: null },
        ],
        next_cursor: null,
      },
    });
    render();
    expect(await screen.findByTestId('message-m1')).toHaveTextContent(/Booking confirmed, with tickets.*Ann.*Sent/);
    expect(screen.getByTestId('message-m3')).toHaveTextContent(/Invoice, with its PDF.*Ann.*Sent/);
    expect(screen.getByTestId('message-m4')).toHaveTextContent(/Invoice cancelled, with the cancellation’s PDF.*Ann.*Waiting to send/);
    const failed = screen.getByTestId('message-m2');
    expect(failed).toHaveTextContent('Not delivered');
    expect(failed).toHaveTextContent('550 mailbox unavailable');
    expect(failed).toHaveTextContent('sent again on request');
  });

  it('shows a message bounced after sending with the receiving server’s reason, and a delay as still sent', async () => {
    const bounce = 'bounced (mx.example.com): bob@example.com: 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown';
    const delay = 'delayed, still being tried (mx.example.com): ann@example.com: connect to mail.example.com[203.0.113.25]:25: Connection timed out';
    serveApi({
      'GET /events/e1/box-office': office,
      'GET /events/e1/attendees': { items: [], next_cursor: null, position: 7 },
      'GET /events/e1/messages': {
        items: [
          { id: 'm1', kind: 'booking_confirmed', status: 'sent', recipient_id: 'u1', recipient_email: 'ann@example.com', recipient_name: 'Ann',
            booking_id: 'b1', resend: 0, attempts: 1, last_error: delay, created_at: '2030-06-01T10:00:00Z', sent_at: '2030-06-01T10:00:02Z' },
          { id: 'm2', kind: 'booking_confirmed', status: 'bounced', recipient_id: 'u2', recipient_email: 'bob@example.com', recipient_name: 'Bob',
            booking_id: 'b2', resend: 0, attempts: 1, last_error: bounce, created_at: '2030-06-01T10:05:00Z', sent_at: '2030-06-01T10:05:02Z' },
        ],
        next_cursor: null,
      },
    });
    render();
    const bounced = await screen.findByTestId('message-m2');
    expect(bounced).toHaveTextContent('Bounced');
    expect(bounced).toHaveTextContent('550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown');
    expect(bounced).not.toHaveTextContent('Sent');
    const delayed = screen.getByTestId('message-m1');
    expect(delayed).toHaveTextContent('Sent');
    expect(delayed).toHaveTextContent('Connection timed out');
  });
});

import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import { ResendTickets } from './resend-tickets';

const message = {
  id: 'm1', kind: 'booking_confirmed', status: 'queued', recipient_id: 'u1', recipient_email: 'ann@example.com', recipient_name: 'Ann',
  booking_id: 'b1', resend: 1, attempts: 0, last_error: null, created_at: '2030-06-01T10:00:00Z', sent_at: null,
};

describe('ResendTickets', () => {
  it('sends the confirmation again once and says where to', async () => {
    const calls = serveApi({ 'POST /bookings/b1/resend-email': message });
    renderWithProviders(<ResendTickets bookingId="b1" />, { user: userOf('customer') });
    await userEvent.click(screen.getByRole('button', { name: 'E-mail my tickets again' }));
    expect(await screen.findByText('On its way to ann@example.com, with your tickets as a PDF.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'E-mail my tickets again' })).toBeDisabled();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('says in words when it was sent again too often', async () => {
    serveApi({ 'POST /bookings/b1/resend-email': refuse(429, 'TOO_MANY_RESENDS', 'Sent again 3 times within the hour') });
    renderWithProviders(<ResendTickets bookingId="b1" />, { user: userOf('customer') });
    await userEvent.click(screen.getByRole('button', { name: 'E-mail my tickets again' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not sent');
    expect(alert).not.toHaveTextContent(/^TOO_MANY_RESENDS$/);
  });
});

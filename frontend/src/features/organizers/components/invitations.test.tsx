import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AxiosAdapter } from 'axios';
import { afterEach, describe, expect, it } from 'vitest';

import { api, tokenStore } from '@/lib/api-client';
import { AuthProvider } from '@/lib/auth';
import { renderWithProviders } from '@/testing/test-utils';
import type { Invitation, User } from '@/types/api';

import { Invitations } from './invitations';

const ben: User = { id: 'ben', email: 'ben@x.test', name: 'Ben', phone: null, role: 'organizer', language: 'en' };
const gala: Invitation = {
  event_id: 'e1', event_name: 'Gala', starts_at: '2030-06-01T19:00:00Z', organizer_id: 'ann',
  organizer_name: 'Ann', invited_by: 'ann', invited_at: '2030-05-01T10:00:00Z',
};

function serving(answered: string[]): AxiosAdapter {
  return async (config) => {
    const ok = (data: unknown) => ({ data, status: 200, statusText: 'OK', headers: {}, config });
    if (config.url === '/users/me') return ok(ben);
    if (config.url === '/organizers/me/invitations') return ok({ items: answered.length ? [] : [gala], next_cursor: null, position: 1 });
    if (config.method === 'post' && config.url?.startsWith('/events/e1/organizers/ben/')) {
      answered.push(config.url);
      return ok({});
    }
    throw new Error(`unexpected ${config.method} ${config.url}`);
  };
}

describe('Invitations', () => {
  const original = api.defaults.adapter;
  afterEach(() => { api.defaults.adapter = original; tokenStore.clear(); });

  it('lists the invitations awaiting the organizer and accepts one as them', async () => {
    const answered: string[] = [];
    api.defaults.adapter = serving(answered);
    tokenStore.set('signed-in');
    renderWithProviders(<AuthProvider><Invitations /></AuthProvider>);
    const row = await screen.findByTestId('invitation-Gala');
    expect(row.textContent).toMatch(/organized by Ann/);
    await userEvent.click(within(row).getByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(answered).toEqual(['/events/e1/organizers/ben/accept']));
  });
});

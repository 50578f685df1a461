import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AxiosAdapter } from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import { Route, Routes } from 'react-router-dom';

import { api, tokenStore } from '@/lib/api-client';
import { renderWithProviders } from '@/testing/test-utils';

import { SignOutEverywhere } from './sign-out-everywhere';

describe('SignOutEverywhere', () => {
  const original = api.defaults.adapter;
  afterEach(() => { api.defaults.adapter = original; });

  it('asks first, then revokes every token and returns to the events list', async () => {
    const calls: string[] = [];
    api.defaults.adapter = (async (config) => {
      calls.push(`${config.method?.toUpperCase()} ${config.url}`);
      return { data: '', status: 204, statusText: 'No Content', headers: {}, config };
    }) as AxiosAdapter;
    tokenStore.set('tok-1');
    renderWithProviders(
      <Routes>
        <Route path="/" element={<h1>Events</h1>} />
        <Route path="/account" element={<SignOutEverywhere />} />
      </Routes>,
      { route: '/account' },
    );

    await userEvent.click(screen.getByRole('button', { name: 'Sign out everywhere' }));
    await userEvent.click(screen.getByRole('button', { name: 'Stay signed in', hidden: true }));
    expect(calls).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Sign out everywhere' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, sign out everywhere', hidden: true }));
    expect(await screen.findByRole('heading', { name: 'Events' })).toBeInTheDocument();
    expect(calls).toEqual(['POST /auth/logout']);
    expect(tokenStore.get()).toBeNull();
  });
});

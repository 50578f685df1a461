import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AxiosError, AxiosHeaders, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRouter, Route, Routes } from 'react-router-dom';

import { serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import { api, tokenStore } from './api-client';
import { RequireAuth, useAuth, useLogout, useSignOutTo } from './auth';

function wrapper({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={new QueryClient()}><MemoryRouter>{children}</MemoryRouter></QueryClientProvider>;
}

function answering(status: number, seen: InternalAxiosRequestConfig[]): AxiosAdapter {
  return async (config) => {
    seen.push(config);
    const response = { status, data: status >= 400 ? { code: 'TOKEN_REVOKED', message: 'x' } : '', headers: {}, config, statusText: '' };
    if (status >= 400) throw new AxiosError('failed', String(status), config, {}, response);
    return response;
  };
}

describe('logout', () => {
  const original = api.defaults.adapter;
  afterEach(() => { api.defaults.adapter = original; });

  it('asks the API to revoke the tokens, with the token it had, and forgets it at once', async () => {
    const seen: InternalAxiosRequestConfig[] = [];
    api.defaults.adapter = answering(204, seen);
    tokenStore.set('tok-9');
    const { result } = renderHook(() => useLogout(), { wrapper });
    act(() => result.current());
    expect(tokenStore.get()).toBeNull();
    await waitUntil(() => seen.length === 1);
    expect(seen[0].method).toBe('post');
    expect(seen[0].url).toBe('/auth/logout');
    expect((seen[0].headers as AxiosHeaders).get('Authorization')).toBe('Bearer tok-9');
  });

  it('signs out locally even when the API refuses or cannot be reached', async () => {
    const seen: InternalAxiosRequestConfig[] = [];
    api.defaults.adapter = answering(401, seen);
    tokenStore.set('revoked');
    const { result } = renderHook(() => useLogout(), { wrapper });
    act(() => result.current());
    await waitUntil(() => seen.length === 1);
    expect(tokenStore.get()).toBeNull();
  });

  it('calls nobody when no one is signed in', () => {
    const seen: InternalAxiosRequestConfig[] = [];
    api.defaults.adapter = answering(204, seen);
    tokenStore.clear();
    const { result } = renderHook(() => useLogout(), { wrapper });
    act(() => result.current());
    expect(seen).toHaveLength(0);
  });
});

async function waitUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !done(); i += 1) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
}

describe('signing out on the way to a page', () => {
  function Who() {
    const { user } = useAuth();
    return <p data-testid="who">{user?.name ?? 'nobody'}</p>;
  }
  function SignOut() {
    const signOutTo = useSignOutTo();
    return <button type="button" onClick={() => signOutTo('/')}>Sign out</button>;
  }

  it('leaves a signed-in page for the one asked (not the sign-in page), showing nobody signed in, every answer forgotten', async () => {
    serveApi({});
    tokenStore.set('tok-1');
    const { client } = renderWithProviders(
      <Routes>
        <Route path="/" element={<><h1>Events</h1><Who /></>} />
        <Route path="/account" element={<RequireAuth><SignOut /></RequireAuth>} />
        <Route path="/login" element={<h1>Log in</h1>} />
      </Routes>,
      { route: '/account', user: userOf('customer') },
    );
    client.setQueryData(['bookings', 'mine'], { items: [] });
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(tokenStore.get()).toBeNull();
    expect(await screen.findByRole('heading', { name: 'Events' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('who')).toHaveTextContent('nobody'));
    expect(screen.queryByRole('heading', { name: 'Log in' })).toBeNull();
    expect(client.getQueryData(['bookings', 'mine'])).toBeUndefined();
  });
});

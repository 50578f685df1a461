import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import { AxiosError, AxiosHeaders, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';

import { api, tokenStore } from './api-client';
import { useLogout } from './auth';

function wrapper({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={new QueryClient()}>{children}</QueryClientProvider>;
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

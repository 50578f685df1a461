import { AxiosError, AxiosHeaders, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { api, ApiError, apiUrl, normaliseError, onUnauthorized, positions, tokenStore } from './api-client';
import { serverClock } from './server-clock';

type Seen = InternalAxiosRequestConfig[];

function answer(status: number, data: unknown, headers: Record<string, string> = {}, seen: Seen = []): AxiosAdapter {
  return async (config) => {
    seen.push(config);
    const response = { status, data, headers, config, statusText: String(status) };
    if (status >= 400) throw new AxiosError('failed', String(status), config, {}, response);
    return response;
  };
}

describe('api client', () => {
  const original = api.defaults.adapter;
  beforeEach(() => positions.reset());
  afterEach(() => { api.defaults.adapter = original; });

  it('sends the bearer token and reads its own writes', async () => {
    const seen: Seen = [];
    tokenStore.set('tok-1');
    api.defaults.adapter = answer(201, { id: 'b1' }, { 'x-position': '42' }, seen);
    await api.post('/events/e1/book', { quantity: 1 });
    api.defaults.adapter = answer(200, { items: [] }, {}, seen);
    await api.get('/events');
    expect((seen[0].headers as AxiosHeaders).get('Authorization')).toBe('Bearer tok-1');
    expect(seen[1].params).toEqual({ min_position: 42 });
  });

  it('refuses, as retriable, a read answered from before the position it asked for', async () => {
    api.defaults.adapter = answer(201, { id: 'p1' }, { 'x-position': '42' });
    await api.post('/events/e1/waitlist', { quantity: 1 });
    api.defaults.adapter = answer(200, { items: [] }, { 'x-projection-position': '41' });
    const error = await api.get('/users/u1/waitlist').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROJECTION_BEHIND', status: 503 });
    api.defaults.adapter = answer(200, { items: [{ id: 'p1' }] }, { 'x-projection-position': '42' });
    expect((await api.get('/users/u1/waitlist')).data).toEqual({ items: [{ id: 'p1' }] });
    api.defaults.adapter = answer(200, { status: 'ok' }); // a read of no projection: no position
    expect((await api.get('/health')).data).toEqual({ status: 'ok' });
  });

  it("turns the API's error body into its code and message", async () => {
    api.defaults.adapter = answer(400, { code: 'SOLD_OUT', message: "Category 'VIP' is sold out" });
    const error = await api.post('/events/e1/book').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'SOLD_OUT', message: "Category 'VIP' is sold out", status: 400 });
  });

  it('clears the session on a 401 to an authenticated call', async () => {
    tokenStore.set('expired');
    const listener = vi.fn();
    const stop = onUnauthorized(listener);
    api.defaults.adapter = answer(401, { code: 'TOKEN_EXPIRED', message: 'Log in again' });
    await expect(api.get('/users/me')).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(tokenStore.get()).toBeNull();
    expect(listener).toHaveBeenCalledOnce();
    stop();
  });

  it('keeps the session that replaced the token a 401 was for (a password change)', async () => {
    tokenStore.set('old');
    const listener = vi.fn();
    const stop = onUnauthorized(listener);
    api.defaults.adapter = async (config) => {
      tokenStore.set('new'); // the new token arrives while this call with the old one is answered
      throw new AxiosError('failed', '401', config, {}, { status: 401, data: { code: 'TOKEN_REVOKED', message: 'x' }, headers: {}, config, statusText: '' });
    };
    await expect(api.get('/users/me')).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    expect(tokenStore.get()).toBe('new');
    expect(listener).not.toHaveBeenCalled();
    stop();
  });

  it('keeps the session when a login is refused', async () => {
    const listener = vi.fn();
    const stop = onUnauthorized(listener);
    api.defaults.adapter = answer(401, { code: 'INVALID_CREDENTIALS', message: 'Wrong email or password' });
    await expect(api.post('/auth/token')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(listener).not.toHaveBeenCalled();
    stop();
  });

  it('names a network failure as such', () => {
    const error = normaliseError(new AxiosError('Network Error', 'ERR_NETWORK'));
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toMatch(/Cannot reach the server/);
  });

  it("learns the server's clock from the Date header of answers and refusals", async () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2030-01-01T11:55:00Z')); // five minutes slow
    api.defaults.adapter = answer(200, { items: [] }, { date: 'Tue, 01 Jan 2030 12:00:00 GMT' });
    await api.get('/events');
    expect(serverClock.offset()).toBe(301_000);
    serverClock.reset();
    api.defaults.adapter = answer(409, { code: 'HOLD_EXPIRED', message: 'expired' }, { Date: 'Tue, 01 Jan 2030 12:00:00 GMT' });
    await api.post('/holds/h1/confirm').catch(() => undefined);
    expect(serverClock.offset()).toBe(301_000);
  });

  it("prefers the answer's X-Server-Time to its Date header, and reads the Date header when the stamp is missing or unreadable", async () => {
    vi.useFakeTimers();
    const device = Date.parse('2030-01-01T11:55:00Z'); // five minutes slow
    vi.setSystemTime(device);
    const date = 'Tue, 01 Jan 2030 11:59:57 GMT'; // three seconds stale
    api.defaults.adapter = answer(200, { items: [] }, { date, 'x-server-time': String(device + 300_000) });
    await api.get('/events');
    expect(serverClock.offset()).toBe(300_000);
    for (const stamp of [undefined, 'soon']) {
      serverClock.reset();
      api.defaults.adapter = answer(200, { items: [] }, stamp === undefined ? { date } : { date, 'x-server-time': stamp });
      await api.get('/events');
      expect(serverClock.offset()).toBe(298_000);
    }
  });

  it('builds stream URLs with repeated list parameters', () => {
    expect(apiUrl('/events/availability/stream', { ids: ['a', 'b'], min_position: undefined })).toBe(
      '/api/events/availability/stream?ids=a&ids=b',
    );
  });
});

describe('error bodies', () => {
  it('reads a code wrapped as {error: {code, message}} too', async () => {
    const { AxiosError: E } = await import('axios');
    const wrapped = new E('failed', '409', undefined, {}, {
      status: 409, statusText: '', headers: {}, config: {} as InternalAxiosRequestConfig,
      data: { error: { code: 'VERIFY_RUNNING', message: 'Run 1 is running' } },
    });
    expect(normaliseError(wrapped)).toMatchObject({ code: 'VERIFY_RUNNING', message: 'Run 1 is running', status: 409 });
  });
});

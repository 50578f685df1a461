import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { api } from '@/lib/api-client';
import { Answer, serveApi } from '@/testing/mock-api';

import { formatCountdown, useCountdown } from './countdown';

describe('formatCountdown', () => {
  it.each([
    [600_000, '10:00'],
    [599_001, '10:00'], // a part of a second still counts as one: 00:00 is the expiry itself
    [599_000, '09:59'],
    [61_000, '01:01'],
    [999, '00:01'],
    [0, '00:00'],
    [-5_000, '00:00'],
    [3_600_000, '1:00:00'],
    [3_725_000, '1:02:05'],
  ])('shows %i ms as %s', (ms, shown) => {
    expect(formatCountdown(ms)).toBe(shown);
  });
});

describe('useCountdown', () => {
  beforeEach(() => { vi.useFakeTimers(); vi.setSystemTime(new Date('2030-01-01T12:00:00Z')); });
  afterEach(() => { vi.useRealTimers(); });

  it('counts down each second and stops at 0', () => {
    const { result } = renderHook(() => useCountdown('2030-01-01T12:00:03Z'));
    expect(formatCountdown(result.current)).toBe('00:03');
    act(() => { vi.advanceTimersByTime(1_100); });
    expect(formatCountdown(result.current)).toBe('00:02');
    act(() => { vi.advanceTimersByTime(5_000); });
    expect(result.current).toBe(0);
    expect(vi.getTimerCount()).toBe(0); // nothing left ticking once expired
  });

  it('is 0 for a moment past or none', () => {
    expect(renderHook(() => useCountdown('2030-01-01T11:59:00Z')).result.current).toBe(0);
    expect(renderHook(() => useCountdown(null)).result.current).toBe(0);
  });
});

describe('useCountdown on a device whose clock is wrong', () => {
  const serverTime = Date.parse('2030-01-01T12:00:01Z');
  // Written a second before the answer, as uvicorn's once-a-second header may be: the estimate's middle case.
  const header = 'Tue, 01 Jan 2030 12:00:00 GMT';

  it.each([
    ['ahead', 300_000],
    ['behind', -300_000],
  ])("counts by the server's clock with the device five minutes %s", async (_, skew) => {
    vi.useFakeTimers();
    vi.setSystemTime(serverTime + skew);
    serveApi({ 'GET /holds/h1': new Answer({}, 200, { Date: header }) });
    await api.get('/holds/h1');

    const { result } = renderHook(() => useCountdown('2030-01-01T12:01:01Z')); // a one-minute hold
    expect(formatCountdown(result.current)).toBe('01:00');
    act(() => { vi.advanceTimersByTime(30_100); });
    expect(formatCountdown(result.current)).toBe('00:30');
    act(() => { vi.advanceTimersByTime(30_000); });
    expect(result.current).toBe(0);
  });
});

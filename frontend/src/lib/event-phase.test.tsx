import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { eventPhase, useEventPhase } from './event-phase';
import { noteServerDate } from './server-clock';

describe('useEventPhase', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2030-01-01T10:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('moves from on sale to started to ended at the event\'s own times, with nothing else redrawing', () => {
    const event = { status: 'active' as const, starts_at: '2030-01-01T10:00:05Z', ends_at: '2030-01-01T10:00:09Z' };
    const { result } = renderHook(() => useEventPhase(event));
    expect(result.current).toBe('on-sale');
    act(() => { vi.advanceTimersByTime(5_100); });
    expect(result.current).toBe('started');
    act(() => { vi.advanceTimersByTime(4_000); });
    expect(result.current).toBe('ended');
  });

  it("closes booking at the start by the server's clock, with the device's five minutes slow", () => {
    vi.setSystemTime(new Date('2030-01-01T09:55:00Z'));
    noteServerDate('Tue, 01 Jan 2030 10:00:00 GMT', Date.now(), Date.now());
    const event = { status: 'active' as const, starts_at: '2030-01-01T10:00:05Z', ends_at: null };
    const { result } = renderHook(() => useEventPhase(event));
    expect(result.current).toBe('on-sale');
    act(() => { vi.advanceTimersByTime(5_100); });
    expect(result.current).toBe('started');
  });

  it('has no phase before the event is loaded, and a cancelled event stays cancelled', () => {
    expect(renderHook(() => useEventPhase(undefined)).result.current).toBeUndefined();
    const cancelled = { status: 'cancelled' as const, starts_at: '2030-01-01T10:00:05Z', ends_at: null };
    expect(eventPhase(cancelled)).toBe('cancelled');
  });
});

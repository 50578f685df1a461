import { describe, expect, it, vi } from 'vitest';

import { noteServerDate } from '@/lib/server-clock';
import type { Hold } from '@/types/api';

import { isLive } from './get-my-holds';

describe('isLive', () => {
  const hold = { status: 'active', expires_at: '2030-01-01T12:00:30Z' } as Hold;

  it("ends a hold at its expiry by the server's clock, not the device's", () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2030-01-01T11:59:00Z')); // the device is a minute slow
    expect(isLive(hold)).toBe(true);
    noteServerDate('Tue, 01 Jan 2030 12:00:00 GMT', Date.now(), Date.now());
    expect(isLive(hold)).toBe(true);
    vi.advanceTimersByTime(31_000);
    expect(isLive(hold)).toBe(false);
  });
});

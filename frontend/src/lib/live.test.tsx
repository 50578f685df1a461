import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { useLiveAvailability } from './live';

class FakeEventSource {
  static opened: FakeEventSource[] = [];
  listeners: Record<string, ((m: MessageEvent) => void)[]> = {};
  closed = false;
  constructor(public url: string) { FakeEventSource.opened.push(this); }
  addEventListener(type: string, fn: (m: MessageEvent) => void) { (this.listeners[type] ??= []).push(fn); }
  removeEventListener(type: string, fn: (m: MessageEvent) => void) { this.listeners[type] = (this.listeners[type] ?? []).filter((f) => f !== fn); }
  close() { this.closed = true; }
  emit(data: unknown) { (this.listeners.availability ?? []).forEach((fn) => fn(new MessageEvent('availability', { data: JSON.stringify(data) }))); }
}

describe('useLiveAvailability', () => {
  beforeEach(() => { FakeEventSource.opened = []; (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource; });
  afterEach(() => { delete (globalThis as { EventSource?: unknown }).EventSource; });

  it('follows one event, applies each message, and closes on unmount', () => {
    const { result, unmount } = renderHook(() => useLiveAvailability(['e1']));
    const source = FakeEventSource.opened[0];
    expect(source.url).toBe('/api/events/e1/availability/stream');
    act(() => source.emit({ event_id: 'e1', available_seats: 3, total_seats: 5, status: 'active', categories: [], position: 9 }));
    expect(result.current.e1.available_seats).toBe(3);
    unmount();
    expect(source.closed).toBe(true);
  });

  it('follows a page of events on one connection', () => {
    renderHook(() => useLiveAvailability(['b', 'a']));
    expect(FakeEventSource.opened).toHaveLength(1);
    expect(FakeEventSource.opened[0].url).toBe('/api/events/availability/stream?ids=a&ids=b');
  });
});

import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

import { serverClock } from '@/lib/server-clock';

// jsdom has no ResizeObserver; charts (recharts' ResponsiveContainer) ask for one.
if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
}

// A worker's files share one jsdom (vite.config.ts: isolate false): nothing a test changes in
// it outlives the test.
afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  serverClock.reset();
});

import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';

import { i18n, SOURCE_LANGUAGE } from '@/lib/i18n';
import { serverClock } from '@/lib/server-clock';

// Every test starts in English, the catalogues' source, whatever the machine's own language; a test of another
// language switches to it, and the next test is back in English.
beforeEach(async () => {
  await i18n.changeLanguage(SOURCE_LANGUAGE);
});

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

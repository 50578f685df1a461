import { QueryClient } from '@tanstack/react-query';

import type { ApiError } from './api-client';

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Try even when the browser says it is offline: the user then sees "Network problem"
        // with a retry button, not a spinner paused forever.
        networkMode: 'always',
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        retry: (count, error) => {
          const status = (error as unknown as ApiError).status ?? 0;
          return status === 0 || status >= 500 ? count < 2 : false; // never retry a 4xx
        },
      },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}

/**
 * The first element of every query key, by the data it holds. Each feature builds its keys
 * under these (features/<feature>/api/query-keys.ts); a change invalidates the roots it touches
 * without knowing the other features' keys.
 */
export const ROOT = {
  events: 'events',
  myBookings: 'my-bookings',
  holds: 'holds',
  organizers: 'organizers',
  admin: 'admin',
  audit: 'audit',
  account: 'account',
  invoices: 'invoices',
} as const;

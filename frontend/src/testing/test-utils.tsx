import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';

import { AuthProvider, meQueryKey, SessionEndsHere } from '@/lib/auth';
import type { Role, User } from '@/types/api';

/** The error code an ErrorMessage keeps for support: folded away beside the announced `alert`, not in it. */
export const supportDetail = (alert: HTMLElement): HTMLElement | null =>
  alert.closest('.alert')?.querySelector<HTMLElement>('[data-testid="error-support"]') ?? null;

/** A signed-in user of a role, for `renderWithProviders(ui, { user })`. */
export const userOf = (role: Role, id = `${role}-1`): User => ({ id, role, email: `${id}@x.test`, name: `${role[0].toUpperCase()}${role.slice(1)} One`, phone: null, language: 'en' });

interface Options {
  route?: string;
  /** Render `ui` at this route pattern (useParams reads it), e.g. "/audit/events/:eventId". */
  path?: string;
  /** Signed in as this user (the session is known without asking the API). */
  user?: User;
}

export function renderWithProviders(ui: ReactElement, { route = '/', path, user }: Options = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  if (user) client.setQueryData(meQueryKey, user);
  const routed = path ? <Routes><Route path={path} element={ui} /><Route path="*" element={<p>elsewhere</p>} /></Routes> : ui;
  return {
    client,
    ...render(
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[route]}>{user ? <AuthProvider><SessionEndsHere />{routed}</AuthProvider> : routed}</MemoryRouter>
      </QueryClientProvider>,
    ),
  };
}

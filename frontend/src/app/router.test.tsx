import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { AppLayout } from '@/components/layouts/app-layout';
import { PENDING, serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';
import type { Role } from '@/types/api';

import { AppRoutes } from './router';

const pending = { 'GET /events': PENDING, 'GET /projections': PENDING, 'GET /audit/verify-runs': PENDING, 'GET /admin/stats': PENDING, 'GET /users': PENDING, 'GET /audit/revenue': PENDING, 'GET /webhooks': PENDING, 'GET /webhooks/event-types': PENDING };
const open = (role: Role, route: string) => {
  serveApi(pending);
  return renderWithProviders(<AppLayout><AppRoutes /></AppLayout>, { route, user: userOf(role) });
};
const nav = () => within(screen.getByRole('navigation', { name: 'Main' }));

describe('roles in the navigation and the routes', () => {
  it("shows an auditor the audit workspace and nothing of the admin's", async () => {
    open('auditor', '/audit');
    await screen.findByRole('navigation', { name: 'Audit workspace' }, { timeout: 5000 });
    expect(nav().getByRole('link', { name: 'Audit' })).toBeInTheDocument();
    expect(nav().queryByRole('link', { name: 'Admin' })).toBeNull();
    expect(nav().queryByRole('link', { name: 'My bookings' })).toBeNull();
    expect(nav().getByRole('link', { name: /Account/ })).toHaveAttribute('href', '/account');
    const tabs = within(screen.getByRole('navigation', { name: 'Audit workspace' }));
    expect(tabs.getAllByRole('link').map((l) => l.textContent)).toEqual(['Ledger', 'Revenue', 'Bookings', 'Log', 'Exports', 'Signed heads']);
  });

  it.each([
    ['auditor', '/admin/users'],
    ['auditor', '/admin'],
    ['auditor', '/my-bookings'],
    ['customer', '/audit/revenue'],
    ['organizer', '/audit/log'],
    ['organizer', '/admin/users'],
    ['customer', '/webhooks'],
    ['auditor', '/webhooks'],
  ] as [Role, string][])('a %s sent straight to %s is told it is not allowed', async (role, route) => {
    open(role, route);
    expect(await screen.findByTestId('not-allowed', {}, { timeout: 5000 })).toHaveTextContent(`you are signed in as ${role}`);
  });

  it("gives an admin both workspaces, the admin one with its tabs", async () => {
    open('admin', '/admin/users');
    await screen.findByRole('navigation', { name: 'Admin workspace' }, { timeout: 5000 });
    expect(nav().getByRole('link', { name: 'Admin' })).toBeInTheDocument();
    expect(nav().getByRole('link', { name: 'Audit' })).toBeInTheDocument();
    const tabs = within(screen.getByRole('navigation', { name: 'Admin workspace' }));
    expect(tabs.getAllByRole('link').map((l) => l.textContent)).toEqual(['Events', 'Users', 'Organizers', 'Operations']);
    expect(screen.getByRole('heading', { name: 'Users', level: 1 })).toBeInTheDocument();
  });

  it("gives an organizer their dashboard without the admin's tabs", async () => {
    open('organizer', '/admin');
    await screen.findByRole('heading', { name: 'Organizer dashboard' }, { timeout: 5000 });
    expect(nav().getByRole('link', { name: 'Dashboard' })).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Admin workspace' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Organizer dashboard' })).toBeInTheDocument();
  });

  it.each(['organizer', 'admin'] as Role[])('opens the webhooks page for an %s, from its own navigation entry', async (role) => {
    open(role, '/webhooks');
    expect(await screen.findByRole('heading', { name: 'Webhooks', level: 1 }, { timeout: 5000 })).toBeInTheDocument();
    expect(nav().getByRole('link', { name: 'Webhooks' })).toHaveAttribute('href', '/webhooks');
  });

  it.each(['organizer', 'admin'] as Role[])('opens the invoicing page for an %s, from its own navigation entry', async (role) => {
    open(role, '/invoicing');
    expect(await screen.findByRole('heading', { name: 'Invoicing', level: 1 }, { timeout: 5000 })).toBeInTheDocument();
    expect(nav().getByRole('link', { name: 'Invoicing' })).toHaveAttribute('href', '/invoicing');
  });

  it('keeps the invoicing page from customers', async () => {
    open('customer', '/invoicing');
    expect(await screen.findByTestId('not-allowed')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Invoicing' })).toBeNull();
  });

  it('never loads a workspace for a role that cannot use it', async () => {
    open('customer', '/admin/operations');
    expect(await screen.findByTestId('not-allowed')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Operations' })).toBeNull();
  });

  it('lets the audit workspace open for an admin too', async () => {
    open('admin', '/audit/revenue');
    await screen.findByRole('heading', { name: 'Audit', level: 1 }, { timeout: 5000 });
    expect(screen.getByRole('heading', { name: 'Audit', level: 1 })).toBeInTheDocument();
    expect(screen.queryByTestId('not-allowed')).toBeNull();
  });
});

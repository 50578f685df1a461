import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { PENDING, refuse, serveApi, type Call } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';
import type { User } from '@/types/api';

import { CreateUserForm, UsersAdmin } from './users-admin';

const admin = userOf('admin', 'root');
const ann: User = { id: 'ann', name: 'Ann', email: 'ann@x.test', role: 'customer', phone: null };
const page = (items: User[], next: string | null = null) => ({ items, next_cursor: next });

describe('UsersAdmin', () => {
  it('waits for the users', () => {
    serveApi({ 'GET /users': PENDING });
    renderWithProviders(<UsersAdmin />, { user: admin });
    expect(screen.getByText(/Loading users/)).toBeInTheDocument();
  });

  it('says when no user matches', async () => {
    serveApi({ 'GET /users': page([]) });
    renderWithProviders(<UsersAdmin />, { user: admin });
    expect(await screen.findByText('No users')).toBeInTheDocument();
  });

  it('shows an error', async () => {
    serveApi({ 'GET /users': refuse(403, 'FORBIDDEN', 'Admins only') });
    renderWithProviders(<UsersAdmin />, { user: admin });
    expect(await screen.findByRole('alert')).toHaveTextContent('Your account may not do this.');
  });

  it("searches on the server, pages, changes a role but never one's own, and revokes sessions", async () => {
    const calls = serveApi({
      'GET /users': ({ params }: Call) => (params.cursor ? page([{ ...ann, id: 'zed', name: 'Zed', email: 'zed@x.test' }]) : page([admin, ann], 'c1')),
      'PATCH /users/ann': ({ data }: Call) => ({ ...ann, ...(data as object) }),
      'POST /users/ann/sessions/revoke': '',
    });
    renderWithProviders(<UsersAdmin />, { user: admin });
    const me = await screen.findByTestId(`user-${admin.email}`);
    expect(within(me).queryByRole('combobox')).toBeNull();
    expect(within(me).queryByRole('button', { name: 'Revoke sessions' })).toBeNull();
    expect(within(me).getByText('(you)')).toBeInTheDocument();

    const row = screen.getByTestId('user-ann@x.test');
    expect([...within(row).getByRole('combobox').querySelectorAll('option')].map((o) => o.value)).toEqual(['customer', 'organizer', 'auditor', 'admin']);
    await userEvent.selectOptions(within(row).getByRole('combobox', { name: 'Role of Ann' }), 'auditor');
    await waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.data).toEqual({ role: 'auditor' }));

    await userEvent.click(within(row).getByRole('button', { name: 'Revoke sessions' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, revoke them', hidden: true }));
    expect(await screen.findByText(/Sessions revoked/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'More users' }));
    expect(await screen.findByTestId('user-zed@x.test')).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Search users'), 'an');
    await waitFor(() => expect(calls.at(-1)?.params).toMatchObject({ q: 'an' }));
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'auditor');
    await waitFor(() => expect(calls.at(-1)?.params).toMatchObject({ q: 'an', role: 'auditor' }));
  });

  it('says plainly when revoking sessions is not on the server yet', async () => {
    serveApi({ 'GET /users': page([ann]) });
    renderWithProviders(<UsersAdmin />, { user: admin });
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke sessions' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, revoke them', hidden: true }));
    expect(await screen.findByText(/does not offer this yet/)).toBeInTheDocument();
  });
});

describe('CreateUserForm', () => {
  it('checks the fields, then creates a user of the chosen role', async () => {
    const calls = serveApi({ 'POST /users': ({ data }: Call) => ({ id: 'new', phone: null, ...(data as object) }) });
    renderWithProviders(<CreateUserForm />, { user: admin });
    await userEvent.click(screen.getByRole('button', { name: 'Create user' }));
    expect(screen.getByText('A valid email address.')).toBeInTheDocument();
    expect(calls).toHaveLength(0);
    await userEvent.type(screen.getByLabelText('Name'), 'Audra');
    await userEvent.type(screen.getByLabelText('Email'), 'audra@x.test');
    await userEvent.type(screen.getByLabelText('Password'), 'password-123');
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'auditor');
    await userEvent.click(screen.getByRole('button', { name: 'Create user' }));
    expect(await screen.findByText('Created Audra (audra@x.test) as auditor.')).toBeInTheDocument();
    expect(calls[0].data).toEqual({ name: 'Audra', email: 'audra@x.test', password: 'password-123', role: 'auditor' });
  });

  it('shows why the API refused', async () => {
    serveApi({ 'POST /users': refuse(409, 'EMAIL_TAKEN', 'That email is taken') });
    renderWithProviders(<CreateUserForm />, { user: admin });
    await userEvent.type(screen.getByLabelText('Name'), 'Ann');
    await userEvent.type(screen.getByLabelText('Email'), 'ann@x.test');
    await userEvent.type(screen.getByLabelText('Password'), 'password-123');
    await userEvent.click(screen.getByRole('button', { name: 'Create user' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('An account with that e-mail exists already: sign in instead.');
  });
});

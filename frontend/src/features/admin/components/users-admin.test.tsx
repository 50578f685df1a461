import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { PENDING, refuse, serveApi, type Call } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';
import type { User } from '@/types/api';

import { CreateUserForm, roleChangeWords, UsersAdmin } from './users-admin';

const admin = userOf('admin', 'root');
const ann: User = { id: 'ann', name: 'Ann', email: 'ann@x.test', role: 'customer', phone: null, language: 'en' };
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
    await userEvent.click(screen.getByRole('button', { name: 'Confirm', hidden: true }));
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

  it('keeps the last rows out of reach while a search loads: its answer moves them', async () => {
    const waiting: ((data: unknown) => void)[] = [];  // the searches typed, answered when the test says
    const calls = serveApi({
      'GET /users': ({ params }: Call) => (params.q ? new Promise((resolve) => { waiting.push(resolve); }) : page([admin, ann])),
    });
    renderWithProviders(<UsersAdmin />, { user: admin });
    const table = (await screen.findByTestId('user-ann@x.test')).closest('table');
    expect(table).not.toHaveAttribute('inert');

    await userEvent.type(screen.getByLabelText('Search users'), 'ann');
    await waitFor(() => expect(calls.at(-1)?.params).toMatchObject({ q: 'ann' }));
    expect(table).toHaveAttribute('inert');
    expect(table).toHaveAttribute('aria-busy', 'true');

    for (const answer of waiting) answer(page([ann]));
    await waitFor(() => expect(screen.queryByTestId(`user-${admin.email}`)).toBeNull());
    expect(screen.getByRole('table', { name: 'Users' })).not.toHaveAttribute('inert');
  });

  it('sends nothing on a mis-click: Cancel or Escape puts the select back to the current role', async () => {
    const calls = serveApi({ 'GET /users': page([admin, ann]) });
    renderWithProviders(<UsersAdmin />, { user: admin });
    const select = await screen.findByRole('combobox', { name: 'Role of Ann' });

    await userEvent.selectOptions(select, 'organizer');
    const dialog = screen.getByRole('dialog', { name: 'Make Ann an organizer?', hidden: true });
    expect(dialog).toHaveTextContent('They will be able to create and run events.');
    expect(select).toHaveValue('organizer');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel', hidden: true }));
    expect(select).toHaveValue('customer');

    await userEvent.selectOptions(select, 'admin');
    fireEvent(screen.getByRole('dialog', { name: 'Make Ann an admin?', hidden: true }), new Event('cancel', { cancelable: true }));
    await waitFor(() => expect(select).toHaveValue('customer'));
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
  });

  it('sends the change once on Confirm, disables the choice while saving, then says what happened', async () => {
    let answer: (user: User) => void = () => {};
    let changed = false;
    const calls = serveApi({
      'GET /users': () => page([admin, changed ? { ...ann, role: 'organizer' } : ann]),
      'PATCH /users/ann': () => new Promise<User>((resolve) => { answer = resolve; }),
    });
    renderWithProviders(<UsersAdmin />, { user: admin });
    const select = await screen.findByRole('combobox', { name: 'Role of Ann' });
    await userEvent.selectOptions(select, 'organizer');
    // Enter after a mis-click presses Cancel: the safe button has the focus.
    expect(screen.getByRole('button', { name: 'Cancel', hidden: true })).toHaveFocus();
    const confirm = screen.getByRole('button', { name: 'Confirm', hidden: true });
    await userEvent.click(confirm);

    await waitFor(() => expect(select).toBeDisabled());
    expect(screen.getByRole('button', { name: 'Working…', hidden: true })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Cancel', hidden: true })).toBeDisabled();
    changed = true;
    answer({ ...ann, role: 'organizer' });

    expect(await screen.findByRole('status')).toHaveTextContent('Ann is now an organizer.');
    expect(screen.getAllByRole('dialog', { hidden: true }).filter((d) => d.hasAttribute('open'))).toHaveLength(0);
    await waitFor(() => expect(select).toBeEnabled());
    expect(select).toHaveValue('organizer');
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.data)).toEqual([{ role: 'organizer' }]);
  });

  it('keeps the confirmation open with the refusal in words', async () => {
    serveApi({ 'GET /users': page([admin, ann]), 'PATCH /users/ann': refuse(404, 'USER_NOT_FOUND', 'No user ann') });
    renderWithProviders(<UsersAdmin />, { user: admin });
    await userEvent.selectOptions(await screen.findByRole('combobox', { name: 'Role of Ann' }), 'auditor');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm', hidden: true }));

    const refusal = await screen.findByRole('alert', { hidden: true });
    expect(refusal).toHaveTextContent('Role not changed');
    expect(refusal).toHaveTextContent('There is no such user.');
    expect(screen.queryByRole('status')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel', hidden: true }));
    expect(screen.getByRole('combobox', { name: 'Role of Ann' })).toHaveValue('customer');
    expect(screen.queryByRole('alert', { hidden: true })).toBeNull();
  });

  it('says plainly when revoking sessions is not on the server yet', async () => {
    serveApi({ 'GET /users': page([ann]) });
    renderWithProviders(<UsersAdmin />, { user: admin });
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke sessions' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, revoke them', hidden: true }));
    expect(await screen.findByText(/does not offer this yet/)).toBeInTheDocument();
  });
});

describe('roleChangeWords', () => {
  const rita = { name: 'Rita Lobo' };

  it('says what each role will let them do', () => {
    expect(roleChangeWords({ ...rita, role: 'customer' }, 'organizer')).toEqual({
      question: 'Make Rita Lobo an organizer?', consequences: ['They will be able to create and run events.'],
    });
    expect(roleChangeWords({ ...rita, role: 'customer' }, 'auditor').question).toBe('Make Rita Lobo an auditor?');
    expect(roleChangeWords({ ...rita, role: 'auditor' }, 'customer').question).toBe('Make Rita Lobo a customer?');
    expect(roleChangeWords({ ...rita, role: 'organizer' }, 'admin').consequences).toEqual([
      'They will be able to do everything, including changing other users’ roles.',
    ]);
  });

  it('says a demoted admin loses admin rights and webhooks at once', () => {
    expect(roleChangeWords({ ...rita, role: 'admin' }, 'customer').consequences[1]).toBe('They lose admin rights at once, and their webhooks stop.');
    expect(roleChangeWords({ ...rita, role: 'admin' }, 'organizer').consequences[1]).toMatch(/^They lose admin rights at once: their webhooks for every event stop/);
  });

  it("says a demoted organizer loses their events' rights and webhooks at once", () => {
    expect(roleChangeWords({ ...rita, role: 'organizer' }, 'auditor').consequences[1]).toMatch(/^They lose every right on the events they run at once, and their webhooks stop\./);
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

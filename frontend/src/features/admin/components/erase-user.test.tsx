import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { Answer, refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';
import type { User } from '@/types/api';

import { UsersAdmin } from './users-admin';

const admin = userOf('admin', 'root');
const ann: User = { id: 'ann', name: 'Ann', email: 'ann@x.test', role: 'customer', phone: null, language: 'en' };
// As the API answers a forgotten person: no address, the name the server's word.
const gone: User = { id: 'gone', name: 'erased', email: null, role: 'customer', phone: null, language: 'en' };
const page = (items: User[]) => ({ items, next_cursor: null });
const ERASURE = { person_id: 'ann', by: 'root', reason: 'asked_of_admin', erased_at: '2026-12-01T10:00:00Z', position: 7 };

describe('UsersAdmin: erasure and the data download', () => {
  it('shows an erased user as erased, with no e-mail and nothing left to erase or revoke', async () => {
    serveApi({ 'GET /users': page([admin, ann, gone]) });
    renderWithProviders(<UsersAdmin />, { user: admin });
    const row = await screen.findByTestId('user-gone');
    const cells = within(row).getAllByRole('cell');
    expect(within(row).getByRole('rowheader')).toHaveTextContent(/^erased$/);
    expect(cells[0]).toHaveTextContent('no e-mail address');
    expect(row).not.toHaveTextContent('@');
    expect(within(row).queryByRole('combobox')).toBeNull();
    expect(within(row).queryByRole('button', { name: /Erase personal data/ })).toBeNull();
    expect(within(row).queryByRole('button', { name: 'Revoke sessions' })).toBeNull();
    expect(within(row).getByRole('button', { name: 'Download their data (erased)' })).toBeInTheDocument();
    // Never one's own from here: My account deletes it.
    expect(within(screen.getByTestId(`user-${admin.email}`)).queryByRole('button', { name: /Erase personal data/ })).toBeNull();
  });

  it('says "erased" in the reader’s language', async () => {
    serveApi({ 'GET /users': page([gone]) });
    renderWithProviders(<UsersAdmin />, { user: { ...admin, language: 'de' } }); // the account's language wins
    const row = await screen.findByTestId('user-gone');
    await waitFor(() => expect(within(row).getByRole('rowheader')).toHaveTextContent(/^gelöscht$/));
    expect(within(row).getAllByRole('cell')[0]).toHaveTextContent('keine E-Mail-Adresse');
  });

  it('asks first, naming the user and what stays; Cancel has the focus and gives it back', async () => {
    const calls = serveApi({ 'GET /users': page([admin, ann]) });
    renderWithProviders(<UsersAdmin />, { user: admin });
    const erase = await screen.findByRole('button', { name: 'Erase personal data (Ann)' });
    await userEvent.click(erase);
    const dialog = screen.getByRole('dialog', { name: 'Erase the personal data of Ann?', hidden: true });
    expect(dialog).toHaveTextContent('Their name and e-mail address (ann@x.test) are forgotten everywhere');
    expect(dialog).toHaveTextContent('Their bookings, payments and invoices stay, naming nobody');
    expect(dialog).toHaveTextContent('It cannot be undone.');
    expect(within(dialog).getByRole('button', { name: 'Not now', hidden: true })).toHaveFocus();

    fireEvent(dialog, new Event('cancel', { cancelable: true })); // Escape
    await waitFor(() => expect(dialog).not.toHaveAttribute('open'));
    expect(erase).toHaveFocus();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('erases on Yes, says so and reads the list again', async () => {
    let erased = false;
    const calls = serveApi({
      'GET /users': () => page([admin, erased ? { ...gone, id: 'ann' } : ann]),
      'POST /users/ann/erasure': () => { erased = true; return ERASURE; },
    });
    renderWithProviders(<UsersAdmin />, { user: admin });
    await userEvent.click(await screen.findByRole('button', { name: 'Erase personal data (Ann)' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, erase', hidden: true }));

    const notice = await screen.findByText('The personal data of Ann was erased.');
    await waitFor(() => expect(notice.closest('[tabindex="-1"]')).toHaveFocus());
    const row = await screen.findByTestId('user-ann');
    await waitFor(() => expect(within(row).getByRole('rowheader')).toHaveTextContent(/^erased$/));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/users/ann/erasure']);
  });

  it('keeps the dialog open with the refusal in words', async () => {
    serveApi({
      'GET /users': page([admin, ann]),
      'POST /users/ann/erasure': refuse(409, 'PERSON_HAS_UNPAID_ORDERS', '1 order(s) of this person are not paid yet', undefined, { bookings: ['b1'] }),
    });
    renderWithProviders(<UsersAdmin />, { user: admin });
    await userEvent.click(await screen.findByRole('button', { name: 'Erase personal data (Ann)' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, erase', hidden: true }));
    const refusal = await screen.findByRole('alert', { hidden: true });
    expect(refusal).toHaveTextContent('Not erased');
    expect(refusal).toHaveTextContent('This person has orders not paid yet: they are paid or cancelled before the person can be erased.');
    expect(screen.getByRole('dialog', { name: 'Erase the personal data of Ann?', hidden: true })).toHaveAttribute('open');
  });

  it('downloads what is held about a user, as the file the API names', async () => {
    const calls = serveApi({
      'GET /users': page([admin, ann]),
      'GET /users/ann/data': new Answer('{"account":{}}', 200, { 'content-disposition': 'attachment; filename="personal-data-ann.json"' }),
    });
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function save(this: HTMLAnchorElement) { saved.push(this.download); });
    renderWithProviders(<UsersAdmin />, { user: admin });
    await userEvent.click(await screen.findByRole('button', { name: 'Download their data (Ann)' }));
    expect(await screen.findByText('Saved as personal-data-ann.json.')).toBeInTheDocument();
    expect(saved).toEqual(['personal-data-ann.json']);
    expect(calls.filter((c) => c.url.endsWith('/data')).map((c) => c.url)).toEqual(['/users/ann/data']);
  });

  it('says when the download was refused', async () => {
    serveApi({ 'GET /users': page([ann]), 'GET /users/ann/data': refuse(404, 'USER_NOT_FOUND', 'User ann not found') });
    renderWithProviders(<UsersAdmin />, { user: admin });
    await userEvent.click(await screen.findByRole('button', { name: 'Download their data (Ann)' }));
    const refusal = await screen.findByRole('alert');
    expect(refusal).toHaveTextContent('Not downloaded');
    expect(refusal).toHaveTextContent('There is no such user.');
  });
});

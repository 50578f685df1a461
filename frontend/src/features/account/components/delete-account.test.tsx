import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Route, Routes } from 'react-router-dom';

import { tokenStore } from '@/lib/api-client';
import { PENDING, refuse, serveApi, type Call } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import { AccountDeleted } from './account-deleted';
import { ACCOUNT_DELETED_PATH, DeleteAccount } from './delete-account';

const buyer = userOf('customer', 'u1');
const ERASED = { person_id: 'u1', by: 'u1', reason: 'asked_by_them', erased_at: '2026-12-01T10:00:00Z', position: 42 };

function open(user = buyer) {
  return renderWithProviders(
    <Routes>
      <Route path="/account" element={<DeleteAccount />} />
      <Route path={ACCOUNT_DELETED_PATH} element={<AccountDeleted />} />
      <Route path="/my-bookings" element={<h1>My bookings</h1>} />
    </Routes>,
    { route: '/account', user },
  );
}
const dialog = () => screen.getByRole('dialog', { name: 'Delete your account for good?', hidden: true });
// A closed <dialog> has no role to find it by.
const dialogElement = () => document.querySelector('dialog');
const passwordField = () => within(dialog()).getByLabelText('Your password');
const confirmButton = () => within(dialog()).getByRole('button', { name: 'Delete my account', hidden: true });

describe('DeleteAccount', () => {
  it('says what happens before anything is asked', () => {
    serveApi({});
    open();
    expect(screen.getByText(/Your name and e-mail address are forgotten everywhere/)).toBeInTheDocument();
    expect(screen.getByText(/Your bookings, payments and invoices stay, without naming you/)).toBeInTheDocument();
    expect(screen.getByText(/Invoices keep your details for as long as the law requires/)).toBeInTheDocument();
    expect(screen.getByText(/Seats you are holding are released/)).toBeInTheDocument();
    expect(screen.getByText(/You are signed out everywhere/)).toBeInTheDocument();
    expect(screen.getByText(/It cannot be undone/)).toBeInTheDocument();
    expect(dialogElement()).not.toHaveAttribute('open');
  });

  it('asks for the password in a dialog that takes the focus and gives it back on Escape or Keep', async () => {
    const calls = serveApi({});
    open();
    const opener = screen.getByRole('button', { name: 'Delete my account…' });
    await userEvent.click(opener);
    expect(dialog()).toHaveAttribute('open');
    expect(passwordField()).toHaveFocus();

    fireEvent(dialog(), new Event('cancel', { cancelable: true }));
    await waitFor(() => expect(dialogElement()).not.toHaveAttribute('open'));
    expect(opener).toHaveFocus();

    await userEvent.click(opener);
    await userEvent.type(passwordField(), 'half-typed');
    await userEvent.click(within(dialog()).getByRole('button', { name: 'Keep my account', hidden: true }));
    expect(opener).toHaveFocus();
    await userEvent.click(opener);
    expect(passwordField()).toHaveValue(''); // nothing typed is kept between openings
    expect(calls).toEqual([]);
  });

  it('says on the field when the password is missing or wrong', async () => {
    const calls = serveApi({ 'DELETE /users/me': refuse(403, 'WRONG_PASSWORD', 'Wrong password') });
    open();
    await userEvent.click(screen.getByRole('button', { name: 'Delete my account…' }));
    await userEvent.click(confirmButton());
    expect(passwordField()).toHaveAccessibleDescription('Enter your password.');
    expect(passwordField()).toHaveAttribute('aria-invalid', 'true');
    expect(calls).toEqual([]);

    await userEvent.type(passwordField(), 'not-it{Enter}'); // Enter in the field confirms too
    await waitFor(() => expect(passwordField()).toHaveAccessibleDescription('The password is wrong.'));
    expect(passwordField()).toHaveFocus();
    expect(calls.map((c: Call) => [c.method, c.url, c.data])).toEqual([['DELETE', '/users/me', { password: 'not-it' }]]);
    expect(screen.queryByRole('alert', { hidden: true })).toBeNull(); // said once, on the field

    await userEvent.type(passwordField(), 'x');
    expect(passwordField()).not.toHaveAttribute('aria-invalid', 'true');
  });

  it('tells a buyer with unpaid orders to pay or cancel them first, with the way to My bookings', async () => {
    serveApi({ 'DELETE /users/me': refuse(409, 'PERSON_HAS_UNPAID_ORDERS', '1 order(s) of this person are not paid yet', undefined, { bookings: ['b1'] }) });
    open();
    await userEvent.click(screen.getByRole('button', { name: 'Delete my account…' }));
    await userEvent.type(passwordField(), 'password-123');
    await userEvent.click(confirmButton());

    const refusal = await screen.findByRole('alert', { hidden: true });
    expect(refusal).toHaveTextContent('Your account was not deleted');
    expect(refusal).toHaveTextContent('You have orders not paid yet: your account can be deleted once they are paid or cancelled.');
    expect(refusal).not.toHaveTextContent('This person');
    expect(refusal).toHaveTextContent('Pay or cancel those orders first in My bookings, then delete your account.');
    await userEvent.click(within(refusal).getByRole('link', { name: 'My bookings', hidden: true }));
    expect(await screen.findByRole('heading', { name: 'My bookings' })).toBeInTheDocument();
  });

  it('tells a German buyer of their own unpaid orders, in German', async () => {
    serveApi({ 'DELETE /users/me': refuse(409, 'PERSON_HAS_UNPAID_ORDERS', '1 order(s) of this person are not paid yet', undefined, { bookings: ['b1'] }) });
    open({ ...buyer, language: 'de' });
    await userEvent.click(await screen.findByRole('button', { name: 'Mein Konto löschen…' }));
    await userEvent.type(within(screen.getByRole('dialog', { hidden: true })).getByLabelText('Ihr Passwort'), 'password-123');
    await userEvent.click(within(screen.getByRole('dialog', { hidden: true })).getByRole('button', { name: 'Mein Konto löschen', hidden: true }));

    const refusal = await screen.findByRole('alert', { hidden: true });
    expect(refusal).toHaveTextContent('Sie haben noch unbezahlte Bestellungen');
    expect(refusal).not.toHaveTextContent('Diese Person');
  });

  it('waits while deleting: neither button nor Escape acts', async () => {
    serveApi({ 'DELETE /users/me': PENDING });
    open();
    await userEvent.click(screen.getByRole('button', { name: 'Delete my account…' }));
    await userEvent.type(passwordField(), 'password-123');
    await userEvent.click(confirmButton());
    expect(await within(dialog()).findByRole('button', { name: 'Working…', hidden: true })).toBeDisabled();
    fireEvent(dialog(), new Event('cancel', { cancelable: true }));
    expect(dialog()).toHaveAttribute('open');
  });

  it('deletes the account, ends the session here and says it was deleted', async () => {
    const calls = serveApi({ 'DELETE /users/me': ERASED });
    tokenStore.set('tok-1');
    open();
    await userEvent.click(screen.getByRole('button', { name: 'Delete my account…' }));
    await userEvent.type(passwordField(), 'password-123');
    await userEvent.click(confirmButton());

    const heading = await screen.findByRole('heading', { name: 'Your account was deleted' });
    expect(heading).toHaveFocus();
    expect(screen.getByText(/Your bookings stay in the ledger without naming you/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Browse events' })).toHaveAttribute('href', '/');
    expect(tokenStore.get()).toBeNull();
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['DELETE /users/me']);
  });
});

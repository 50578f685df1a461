import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AxiosError, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import { afterEach, describe, expect, it } from 'vitest';

import { api, tokenStore } from '@/lib/api-client';
import { renderWithProviders, supportDetail } from '@/testing/test-utils';

import { ChangePasswordForm, validatePasswordChange } from './change-password-form';

/** POST /auth/password answering with this status (and the API's error body when it fails). */
function answering(status: number, seen: InternalAxiosRequestConfig[], code = ''): AxiosAdapter {
  return async (config) => {
    seen.push(config);
    const data = status >= 400
      ? { code, message: 'x' }
      : { access_token: 'tok-new', token_type: 'bearer', expires_in: 3600 };
    const response = { status, data, headers: {}, config, statusText: '' };
    if (status >= 400) throw new AxiosError('failed', String(status), config, {}, response);
    return response;
  };
}

async function fill(current: string, next: string, confirm: string) {
  if (current) await userEvent.type(screen.getByLabelText('Current password'), current);
  if (next) await userEvent.type(screen.getByLabelText('New password'), next);
  if (confirm) await userEvent.type(screen.getByLabelText('Confirm new password'), confirm);
  await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
}

describe('ChangePasswordForm', () => {
  const original = api.defaults.adapter;
  afterEach(() => { api.defaults.adapter = original; });

  it('checks the fields before sending, each error tied to its field', async () => {
    const seen: InternalAxiosRequestConfig[] = [];
    api.defaults.adapter = answering(200, seen);
    renderWithProviders(<ChangePasswordForm />);
    await fill('', 'short', 'short');
    expect(screen.getByLabelText('Current password')).toHaveAccessibleDescription('Enter your current password.');
    const next = screen.getByLabelText('New password');
    expect(next).toHaveAttribute('aria-invalid', 'true');
    expect(next).toHaveAccessibleDescription('Use at least 8 characters.');

    await userEvent.clear(next);
    await fill('old-password', 'new-password-1', 'new-password-2');
    expect(screen.getByLabelText('Confirm new password')).toHaveAccessibleDescription('The passwords do not match.');
    expect(seen).toHaveLength(0);
  });

  it('has the rules of sign-up for the new password', () => {
    expect(validatePasswordChange({ current: 'x', next: '12345678', confirm: '12345678' })).toEqual({});
    expect(validatePasswordChange({ current: 'x', next: '1234567', confirm: '1234567' })).toHaveProperty('next');
    const long = 'x'.repeat(129);
    expect(validatePasswordChange({ current: 'x', next: long, confirm: long })).toHaveProperty('next');
  });

  it('stores the fresh token, says so and clears the fields', async () => {
    const seen: InternalAxiosRequestConfig[] = [];
    api.defaults.adapter = answering(200, seen);
    tokenStore.set('tok-old');
    renderWithProviders(<ChangePasswordForm />);
    await fill('old-password', 'new-password-1', 'new-password-1');

    expect(await screen.findByText(/Your password was changed/)).toBeInTheDocument();
    expect(tokenStore.get()).toBe('tok-new');
    expect(seen).toHaveLength(1);
    expect(seen[0].method).toBe('post');
    expect(seen[0].url).toBe('/auth/password');
    expect(JSON.parse(seen[0].data as string)).toEqual({ current_password: 'old-password', new_password: 'new-password-1' });
    for (const label of ['Current password', 'New password', 'Confirm new password']) {
      expect(screen.getByLabelText(label)).toHaveValue('');
    }
  });

  it('says on the field that the current password is wrong, and keeps the session', async () => {
    api.defaults.adapter = answering(403, [], 'WRONG_PASSWORD');
    tokenStore.set('tok-old');
    renderWithProviders(<ChangePasswordForm />);
    await fill('not-it', 'new-password-1', 'new-password-1');

    const current = screen.getByLabelText('Current password');
    expect(await screen.findByText('The current password is wrong')).toBeInTheDocument();
    expect(current).toHaveAttribute('aria-invalid', 'true');
    expect(current).toHaveAccessibleDescription('The current password is wrong');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByText(/Your password was changed/)).not.toBeInTheDocument();
    expect(tokenStore.get()).toBe('tok-old');
  });

  it('shows any other refusal in words, its code kept for support', async () => {
    api.defaults.adapter = answering(429, [], 'TOO_MANY_LOGIN_ATTEMPTS');
    renderWithProviders(<ChangePasswordForm />);
    await fill('old-password', 'new-password-1', 'new-password-1');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not change the password');
    expect(alert).toHaveTextContent('Too many wrong passwords for this account.');
    expect(supportDetail(alert)).toHaveTextContent('TOO_MANY_LOGIN_ATTEMPTS');
  });
});

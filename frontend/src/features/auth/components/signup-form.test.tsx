import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders, supportDetail } from '@/testing/test-utils';

import { SignupForm, validateSignup } from './signup-form';

describe('SignupForm', () => {
  it('labels every field and explains what is wrong, tied to the field', async () => {
    renderWithProviders(<SignupForm onSuccess={() => {}} />);
    await userEvent.type(screen.getByLabelText('Email'), 'not-an-email');
    await userEvent.type(screen.getByLabelText('Password'), 'short');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    const password = screen.getByLabelText('Password');
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(password).toHaveAccessibleDescription('Use at least 8 characters.');
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter a valid email address.');
    expect(screen.getByText('Tell us your name.')).toBeInTheDocument();
  });

  async function signUp() {
    await userEvent.type(screen.getByLabelText('Name'), 'Ann');
    await userEvent.type(screen.getByLabelText('Email'), 'ann@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct-horse');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
  }

  it('says a taken e-mail in words, the code only as a detail', async () => {
    serveApi({ 'POST /auth/signup': refuse(409, 'EMAIL_TAKEN', 'EMAIL_TAKEN') });
    renderWithProviders(<SignupForm onSuccess={() => {}} />);
    await signUp();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('An account with that e-mail exists already: sign in instead.');
    expect(alert).not.toHaveTextContent('EMAIL_TAKEN');
    expect(supportDetail(alert)).toHaveTextContent('Error code EMAIL_TAKEN');
  });

  it("puts the API's refusal of a field under that field", async () => {
    serveApi({
      'POST /auth/signup': refuse(422, 'VALIDATION_ERROR', 'The request is not valid', [
        { loc: ['body', 'email'], msg: 'Value error, the domain name example.invalid does not exist', type: 'value_error' },
      ]),
    });
    renderWithProviders(<SignupForm onSuccess={() => {}} />);
    await signUp();
    expect(await screen.findByText('The domain name example.invalid does not exist')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('The domain name example.invalid does not exist');
  });

  it('accepts a complete sign-up', () => {
    expect(validateSignup({ name: 'Ann', email: 'ann@example.com', password: 'correct-horse', phone: '+44 20 7946 0000' })).toEqual({});
  });
});

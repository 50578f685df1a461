import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { renderWithProviders } from '@/testing/test-utils';

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

  it('accepts a complete sign-up', () => {
    expect(validateSignup({ name: 'Ann', email: 'ann@example.com', password: 'correct-horse', phone: '+44 20 7946 0000' })).toEqual({});
  });
});

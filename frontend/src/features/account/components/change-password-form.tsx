import { useState, type FormEvent } from 'react';

import { ErrorMessage, Notice } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { normaliseError } from '@/lib/api-client';
import { fieldsNamed, useApiFieldErrors } from '@/lib/field-errors';

import { useChangePassword } from '../api/change-password';

interface Values { current: string; next: string; confirm: string }
const empty: Values = { current: '', next: '', confirm: '' };
const passwordFormKey = fieldsNamed([], { current_password: 'current', new_password: 'next' });

/** The API's rules (PasswordChangeIn): the new one as at sign-up, 8 to 128 characters as typed. */
export function validatePasswordChange(v: Values) {
  const errors: Record<string, string> = {};
  if (!v.current) errors.current = 'Enter your current password.';
  if (v.next.length < 8) errors.next = 'Use at least 8 characters.';
  else if (v.next.length > 128) errors.next = 'Use at most 128 characters.';
  if (!errors.next && v.confirm !== v.next) errors.confirm = 'The passwords do not match.';
  return errors;
}

export function ChangePasswordForm() {
  const change = useChangePassword();
  const [values, setValues] = useState<Values>(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const elsewhere = useApiFieldErrors(change.error, passwordFormKey, setErrors);
  const set = (key: keyof Values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validatePasswordChange(values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    change.mutate({ currentPassword: values.current, newPassword: values.next }, {
      onSuccess: () => setValues(empty),
      onError: (error) => {
        if (normaliseError(error).code === 'WRONG_PASSWORD') setErrors({ current: 'The current password is wrong' });
      },
    });
  };
  // A wrong current password is said on its field; anything else (rate limit, network) here.
  const otherError = change.error && normaliseError(change.error).code !== 'WRONG_PASSWORD' ? change.error : null;

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Change password">
      <Field label="Current password" type="password" autoComplete="current-password" value={values.current}
        error={errors.current} onChange={set('current')} required />
      <Field label="New password" type="password" autoComplete="new-password" value={values.next}
        error={errors.next} hint="At least 8 characters." onChange={set('next')} required />
      <Field label="Confirm new password" type="password" autoComplete="new-password" value={values.confirm}
        error={errors.confirm} onChange={set('confirm')} required />
      {otherError && <ErrorMessage error={otherError} title="Could not change the password" problems={elsewhere} />}
      {change.isSuccess && (
        <Notice tone="success">
          Your password was changed. Other devices were signed out; you stay signed in here.
        </Notice>
      )}
      <button type="submit" className="btn" disabled={change.isPending}>
        {change.isPending ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}

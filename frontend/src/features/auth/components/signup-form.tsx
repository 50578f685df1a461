import { useState, type FormEvent } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { useSignup } from '@/lib/auth';
import { fieldsNamed, useApiFieldErrors } from '@/lib/field-errors';

// SignupIn's fields have the form's names.
const signupFormKey = fieldsNamed(['name', 'email', 'password', 'phone']);

export function validateSignup(v: { name: string; email: string; password: string; phone: string }) {
  const errors: Record<string, string> = {};
  if (!v.name.trim()) errors.name = 'Tell us your name.';
  if (!/^\S+@\S+\.\S+$/.test(v.email.trim())) errors.email = 'Enter a valid email address.';
  if (v.password.length < 8) errors.password = 'Use at least 8 characters.';
  if (v.phone && !/^[0-9+()\-. ]*$/.test(v.phone)) errors.phone = 'Digits, spaces and + ( ) - . only.';
  return errors;
}

export function SignupForm({ onSuccess }: { onSuccess: () => void }) {
  const signup = useSignup();
  const [values, setValues] = useState({ name: '', email: '', password: '', phone: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const elsewhere = useApiFieldErrors(signup.error, signupFormKey, setErrors);
  const set = (key: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validateSignup(values);
    setErrors(found);
    if (Object.keys(found).length === 0) {
      signup.mutate({ ...values, email: values.email.trim(), name: values.name.trim() }, { onSuccess });
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Sign up">
      <Field label="Name" autoComplete="name" value={values.name} error={errors.name} onChange={set('name')} required />
      <Field label="Email" type="email" autoComplete="email" value={values.email} error={errors.email}
        onChange={set('email')} required />
      <Field label="Password" type="password" autoComplete="new-password" value={values.password}
        error={errors.password} hint="At least 8 characters." onChange={set('password')} required />
      <Field label="Phone (optional)" type="tel" autoComplete="tel" value={values.phone} error={errors.phone}
        onChange={set('phone')} />
      {signup.error && <ErrorMessage error={signup.error} title="Could not sign up" problems={elsewhere} />}
      <button type="submit" className="btn btn--block" disabled={signup.isPending}>
        {signup.isPending ? 'Creating your account…' : 'Create account'}
      </button>
    </form>
  );
}

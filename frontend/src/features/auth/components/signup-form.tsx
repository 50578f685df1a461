import { useTranslation } from 'react-i18next';
import { useState, type FormEvent } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { useSignup } from '@/lib/auth';
import { i18n } from '@/lib/i18n';
import { fieldsNamed, useApiFieldErrors } from '@/lib/field-errors';

// SignupIn's fields have the form's names.
const signupFormKey = fieldsNamed(['name', 'email', 'password', 'phone']);

export function validateSignup(v: { name: string; email: string; password: string; phone: string }) {
  const errors: Record<string, string> = {};
  if (!v.name.trim()) errors.name = i18n.t('auth:signup.nameMissing');
  if (!/^\S+@\S+\.\S+$/.test(v.email.trim())) errors.email = i18n.t('auth:signup.emailInvalid');
  if (v.password.length < 8) errors.password = i18n.t('auth:signup.passwordShort');
  if (v.phone && !/^[0-9+()\-. ]*$/.test(v.phone)) errors.phone = i18n.t('auth:signup.phoneInvalid');
  return errors;
}

export function SignupForm({ onSuccess }: { onSuccess: () => void }) {
  const signup = useSignup();
  const { t } = useTranslation('auth');
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
    <form className="form" onSubmit={submit} noValidate aria-label={t('signup.form')}>
      <Field label={t('signup.name')} autoComplete="name" value={values.name} error={errors.name} onChange={set('name')} required />
      <Field label={t('email')} type="email" autoComplete="email" value={values.email} error={errors.email}
        onChange={set('email')} required />
      <Field label={t('password')} type="password" autoComplete="new-password" value={values.password}
        error={errors.password} hint={t('signup.passwordHint')} onChange={set('password')} required />
      <Field label={t('signup.phone')} type="tel" autoComplete="tel" value={values.phone} error={errors.phone}
        onChange={set('phone')} />
      {signup.error && <ErrorMessage error={signup.error} title={t('signup.failed')} problems={elsewhere} />}
      <button type="submit" className="btn btn--block" disabled={signup.isPending}>
        {signup.isPending ? t('signup.creating') : t('signup.create')}
      </button>
    </form>
  );
}

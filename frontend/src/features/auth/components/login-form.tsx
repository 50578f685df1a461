import { useTranslation } from 'react-i18next';
import { useState, type FormEvent } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { useLogin } from '@/lib/auth';
import { fieldsNamed, useApiFieldErrors } from '@/lib/field-errors';

// The token form (OAuth2) calls the e-mail `username`.
const loginFormKey = fieldsNamed(['password'], { username: 'email' });

export function LoginForm({ onSuccess }: { onSuccess: () => void }) {
  const login = useLogin();
  const { t } = useTranslation('auth');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const elsewhere = useApiFieldErrors(login.error, loginFormKey, setErrors);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) found.email = t('login.emailInvalid');
    if (!password) found.password = t('login.passwordMissing');
    setErrors(found);
    if (Object.keys(found).length === 0) login.mutate({ email: email.trim(), password }, { onSuccess });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('login.form')}>
      <Field label={t('email')} type="email" autoComplete="email" value={email} error={errors.email}
        onChange={(e) => setEmail(e.target.value)} required />
      <Field label={t('password')} type="password" autoComplete="current-password" value={password}
        error={errors.password} onChange={(e) => setPassword(e.target.value)} required />
      {login.error && <ErrorMessage error={login.error} title={t('login.failed')} problems={elsewhere} />}
      <button type="submit" className="btn btn--block" disabled={login.isPending}>
        {login.isPending ? t('login.loggingIn') : t('login.submit')}
      </button>
    </form>
  );
}

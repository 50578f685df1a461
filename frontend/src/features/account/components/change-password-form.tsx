import { useTranslation } from 'react-i18next';
import { useState, type FormEvent } from 'react';

import { ErrorMessage, Notice } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { normaliseError } from '@/lib/api-client';
import { fieldsNamed, useApiFieldErrors } from '@/lib/field-errors';
import { i18n } from '@/lib/i18n';

import { useChangePassword } from '../api/change-password';

interface Values { current: string; next: string; confirm: string }
const empty: Values = { current: '', next: '', confirm: '' };
const passwordFormKey = fieldsNamed([], { current_password: 'current', new_password: 'next' });

/** The API's rules (PasswordChangeIn): the new one as at sign-up, 8 to 128 characters as typed. */
export function validatePasswordChange(v: Values) {
  const errors: Record<string, string> = {};
  if (!v.current) errors.current = i18n.t('account:password.currentMissing');
  if (v.next.length < 8) errors.next = i18n.t('account:password.short');
  else if (v.next.length > 128) errors.next = i18n.t('account:password.long');
  if (!errors.next && v.confirm !== v.next) errors.confirm = i18n.t('account:password.mismatch');
  return errors;
}

export function ChangePasswordForm() {
  const change = useChangePassword();
  const { t } = useTranslation('account');
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
        if (normaliseError(error).code === 'WRONG_PASSWORD') setErrors({ current: t('password.wrong') });
      },
    });
  };
  // A wrong current password is said on its field; anything else (rate limit, network) here.
  const otherError = change.error && normaliseError(change.error).code !== 'WRONG_PASSWORD' ? change.error : null;

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('password.title')}>
      <Field label={t('password.current')} type="password" autoComplete="current-password" value={values.current}
        error={errors.current} onChange={set('current')} required />
      <Field label={t('password.new')} type="password" autoComplete="new-password" value={values.next}
        error={errors.next} hint={t('password.hint')} onChange={set('next')} required />
      <Field label={t('password.confirm')} type="password" autoComplete="new-password" value={values.confirm}
        error={errors.confirm} onChange={set('confirm')} required />
      {otherError && <ErrorMessage error={otherError} title={t('password.failed')} problems={elsewhere} />}
      {change.isSuccess && (
        <Notice tone="success">
          {t('password.changed')}
        </Notice>
      )}
      <button type="submit" className="btn" disabled={change.isPending}>
        {change.isPending ? t('password.changing') : t('password.title')}
      </button>
    </form>
  );
}

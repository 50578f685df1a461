import { Trans, useTranslation } from 'react-i18next';
import { useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';

import { ConfirmDialog } from '@/components/ui/confirm';
import { ErrorMessage } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { normaliseError } from '@/lib/api-client';
import { useSignOutTo } from '@/lib/auth';

import { useDeleteAccount } from '../api/delete-account';

/** Where a deleted account's browser lands: it says so (the session is gone by then). */
export const ACCOUNT_DELETED_PATH = '/account/deleted';

/**
 * Delete my account: what it does in plain words, then a confirmation that asks for the password. A wrong one is
 * said on its field; unpaid orders (which stop it) are said with where to pay or cancel them.
 */
export function DeleteAccount() {
  const { t } = useTranslation('privacy');
  const remove = useDeleteAccount();
  const signOutTo = useSignOutTo();
  const [asking, setAsking] = useState(false);
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const opener = useRef<HTMLButtonElement>(null);
  const passwordId = useId();
  const focusPassword = () => document.getElementById(passwordId)?.focus();

  const close = () => {
    if (remove.isPending) return; // Escape while deleting: the answer decides
    setAsking(false);
    setPassword('');
    setFieldError(undefined);
    remove.reset();
    opener.current?.focus(); // back where the reader was
  };
  const confirm = () => {
    if (!password) {
      setFieldError(t('deleteAccount.passwordMissing'));
      focusPassword();
      return;
    }
    remove.mutate(password, {
      // Signed out on the way to the notice (the account's tokens are revoked already).
      onSuccess: () => signOutTo(ACCOUNT_DELETED_PATH, { replace: true }),
      onError: (error) => {
        if (normaliseError(error).code !== 'WRONG_PASSWORD') return;
        setFieldError(t('deleteAccount.wrongPassword'));
        focusPassword();
      },
    });
  };
  const submit = (e: FormEvent) => { e.preventDefault(); confirm(); };
  const refusal = remove.error && normaliseError(remove.error).code !== 'WRONG_PASSWORD' ? remove.error : null;
  const unpaid = refusal !== null && normaliseError(refusal).code === 'PERSON_HAS_UNPAID_ORDERS';

  return (
    <>
      <p>{t('deleteAccount.lead')}</p>
      <ul>
        <li>{t('deleteAccount.forgotten')}</li>
        <li>{t('deleteAccount.kept')}</li>
        <li>{t('deleteAccount.holds')}</li>
        <li>{t('deleteAccount.signedOut')}</li>
      </ul>
      <p><strong>{t('deleteAccount.final')}</strong></p>
      <div className="row">
        <button type="button" className="btn btn--danger" ref={opener} onClick={() => setAsking(true)}>
          {t('deleteAccount.open')}
        </button>
      </div>
      <ConfirmDialog
        open={asking} title={t('deleteAccount.ask')} confirmLabel={t('deleteAccount.confirm')}
        cancelLabel={t('deleteAccount.keep')} focus="field" busy={remove.isPending}
        onCancel={close} onConfirm={confirm}
      >
        <p>{t('deleteAccount.askBody')}</p>
        <form onSubmit={submit} noValidate aria-label={t('deleteAccount.ask')}>
          <Field id={passwordId} label={t('deleteAccount.password')} type="password" autoComplete="current-password"
            value={password} error={fieldError} required
            onChange={(e) => { setPassword(e.target.value); setFieldError(undefined); }} />
        </form>
        {refusal && (
          // The code's sentence speaks of "this person" to an admin; the buyer reads of their own orders.
          <ErrorMessage error={refusal} title={t('deleteAccount.failed')} sentence={unpaid ? t('deleteAccount.unpaid') : undefined} next={unpaid ? (
            <Trans t={t} i18nKey="deleteAccount.unpaidNext" components={{ bookings: <Link to="/my-bookings" /> }} />
          ) : undefined} />
        )}
      </ConfirmDialog>
    </>
  );
}

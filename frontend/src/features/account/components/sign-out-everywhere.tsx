import { useTranslation } from 'react-i18next';
import { useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm';
import { ErrorMessage } from '@/components/ui/feedback';
import { useSignOutTo } from '@/lib/auth';

import { useLogoutEverywhere } from '../api/logout-everywhere';

export function SignOutEverywhere() {
  const logout = useLogoutEverywhere();
  const signOutTo = useSignOutTo();
  const [asking, setAsking] = useState(false);
  const { t } = useTranslation('account');

  const confirm = () =>
    logout.mutate(undefined, {
      // As the header's "Log out" does: to the events list, the session forgotten there.
      onSuccess: () => signOutTo('/'),
      onSettled: () => setAsking(false),
    });

  return (
    <>
      <p className="muted">
        {t('everywhere.about')}
      </p>
      {logout.error && <ErrorMessage error={logout.error} title={t('everywhere.failed')} />}
      <div className="row">
        <button type="button" className="btn btn--danger" onClick={() => setAsking(true)}>
          {t('everywhere.title')}
        </button>
      </div>
      <ConfirmDialog
        open={asking}
        title={t('everywhere.ask')}
        confirmLabel={t('everywhere.confirm')}
        cancelLabel={t('everywhere.stay')}
        busy={logout.isPending}
        onCancel={() => setAsking(false)}
        onConfirm={confirm}
      >
        <p>{t('everywhere.body')}</p>
      </ConfirmDialog>
    </>
  );
}

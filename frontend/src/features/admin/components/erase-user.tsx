import { useTranslation } from 'react-i18next';
import { useState } from 'react';

import type { User } from '@/types/api';

import { downloadUserData, useErasePerson } from '../api/erasure';
import { ErasureDialog } from './erasure-dialog';

/**
 * The confirmation of an admin's erasure, naming the user and what stays.
 * `onErased` hears of it done, with the name as it was (the list will read "erased").
 */
export function EraseUserDialog({ user, onClose, onErased }: {
  user: User | null; onClose: () => void; onErased: (name: string) => void;
}) {
  const { t } = useTranslation('privacy');
  const erase = useErasePerson();
  const confirm = () => user && erase.mutate(user.id, {
    onSuccess: () => { erase.reset(); onErased(user.name); },
  });
  return (
    <ErasureDialog
      open={!!user} title={t('admin.ask', { name: user?.name ?? '' })} confirmLabel={t('admin.confirm')}
      keepLabel={t('admin.keep')} refusedTitle={t('admin.notErased')} erasure={erase} onConfirm={confirm} onClose={onClose}
    >
      <p>{t('admin.forgotten', { email: user?.email ?? '' })}</p>
      <p>{t('admin.stays')}</p>
    </ErasureDialog>
  );
}

/** "Download their data": the admin's copy of everything held about a user, one download at a time. */
export function useUserDataDownload() {
  const [busy, setBusy] = useState<string | null>(null);
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<unknown>();
  const download = async (userId: string) => {
    setBusy(userId);
    setSaved(undefined);
    setError(undefined);
    try {
      setSaved(await downloadUserData(userId));
    } catch (refusal) {
      setError(refusal);
    } finally {
      setBusy(null);
    }
  };
  const reset = () => { setSaved(undefined); setError(undefined); };
  return { download, busy, saved, error, reset };
}

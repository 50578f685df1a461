import { useTranslation } from 'react-i18next';
import { useState } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';

import { downloadMyData } from '../api/download-my-data';

/** Your data, as one file: what the ledger holds about you, for you to read or take elsewhere. */
export function DownloadMyData() {
  const [busy, setBusy] = useState(false);
  const { t } = useTranslation('account');
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<unknown>();
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setSaved(await downloadMyData());
    } catch (refusal) {
      setError(refusal);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <p className="muted">
        {t('data.about')}
      </p>
      {error !== undefined && <ErrorMessage error={error} title={t('data.notDownloaded')} />}
      <div className="row">
        <button type="button" className="btn btn--ghost" disabled={busy} onClick={() => void download()}>
          {busy ? t('data.preparing') : t('data.download')}
        </button>
        <span role="status">{saved ? t('data.saved', { name: saved }) : ''}</span>
      </div>
    </>
  );
}

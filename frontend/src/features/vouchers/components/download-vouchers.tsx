import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '@/components/ui/feedback';

import { downloadVouchers } from '../api/download-vouchers';

/** The event's vouchers (or one batch's, `batch`) as a CSV file, downloaded with the session's token (one line per
 * code, with its terms and what it sold). */
export function DownloadVouchers({ eventId, batch, label }: {
  eventId: string; batch?: number | null; label?: string;
}) {
  const { t } = useTranslation('vouchers');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await downloadVouchers(eventId, batch);
    } catch (refusal) {
      setError(refusal);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="btn btn--ghost btn--small" disabled={busy} onClick={() => void download()}>
        {busy ? t('download.busy') : label ?? t('download.csv')}
      </button>
      {error !== undefined && <ErrorMessage error={error} title={t('download.failed')} />}
    </>
  );
}

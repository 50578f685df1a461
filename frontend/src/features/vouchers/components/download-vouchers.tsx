import { useState } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';

import { downloadVouchers } from '../api/download-vouchers';

/** The event's vouchers (or one batch's, `batch`) as a CSV file, downloaded with the session's token (one line per
 * code, with its terms and what it sold). */
export function DownloadVouchers({ eventId, batch, label = 'Download CSV' }: {
  eventId: string; batch?: number | null; label?: string;
}) {
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
        {busy ? 'Downloading…' : label}
      </button>
      {error !== undefined && <ErrorMessage error={error} title="Not downloaded" />}
    </>
  );
}

import { useState } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';

import { downloadMyData } from '../api/download-my-data';

/** Your data, as one file: what the ledger holds about you, for you to read or take elsewhere. */
export function DownloadMyData() {
  const [busy, setBusy] = useState(false);
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
        One JSON file with everything held about you: your account, bookings and tickets, holds and waitlist places,
        payments, invoices, the e-mails sent to you, and the organizers’ systems your bookings were sent to.
      </p>
      {error !== undefined && <ErrorMessage error={error} title="Not downloaded" />}
      <div className="row">
        <button type="button" className="btn btn--ghost" disabled={busy} onClick={() => void download()}>
          {busy ? 'Preparing…' : 'Download my data'}
        </button>
        <span role="status">{saved ? `Saved as ${saved}.` : ''}</span>
      </div>
    </>
  );
}

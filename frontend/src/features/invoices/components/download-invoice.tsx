import { useTranslation } from 'react-i18next';
import { useState, type ReactNode } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';

import { downloadInvoice, downloadInvoicesCsv } from '../api/download-invoices';
import type { Invoice } from '../api/get-invoices';
import { invoiceTitle } from './invoice-words';

/** A download under the session's token: the button says it is under way, and a refusal in words under it. */
function useDownload(fetch: () => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await fetch();
    } catch (refusal) {
      setError(refusal);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, start };
}

/** An invoice's PDF, saved as invoice-<number>.pdf; `children` names it (its number by default). */
export function DownloadInvoice({ invoice, children, className = 'link' }: {
  invoice: Invoice; children?: ReactNode; className?: string;
}) {
  const { busy, error, start } = useDownload(() => downloadInvoice(invoice));
  const { t } = useTranslation('bookings');
  return (
    <>
      <button type="button" className={className} disabled={busy} onClick={() => void start()}>
        {children ?? <>{invoiceTitle(invoice)} <small>(PDF)</small></>}
      </button>
      {busy && <small className="muted" role="status"> {t('invoice.downloading')}</small>}
      {error !== undefined && <ErrorMessage error={error} title={t('invoice.notDownloaded')} />}
    </>
  );
}

/** Every invoice and cancellation as the API's CSV, for the accountant: the organizer's own, or one event's. */
export function DownloadInvoicesCsv({ eventId, label }: { eventId?: string; label?: string }) {
  const { busy, error, start } = useDownload(() => downloadInvoicesCsv(eventId));
  const { t } = useTranslation('invoicing');
  return (
    <div className="download-csv">
      <button type="button" className="btn btn--ghost btn--small" disabled={busy} onClick={() => void start()}>
        {busy ? t('vouchers:download.busy') : label ?? t('invoicing:csv')}
      </button>
      {error !== undefined && <ErrorMessage error={error} title={t('bookings:invoice.notDownloaded')} />}
    </div>
  );
}

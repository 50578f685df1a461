import { useTranslation } from 'react-i18next';
import { useState, type FormEvent } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import { dateTime } from '@/lib/format';

import { type Invoice, useBookingInvoices } from '../api/get-invoices';
import { usePublicSeller } from '../api/get-public-seller';
import { useAskedInvoice, useRequestInvoice } from '../api/request-invoice';
import { BuyerFields } from './buyer-fields';
import { DownloadInvoice } from './download-invoice';
import { signedMoney } from './invoice-words';
import { toBuyerIn } from './party-details';
import { useBuyerForm } from './use-buyer-form';

/** A booking's invoices and cancellations, in the order issued, each downloaded by its name. */
export function InvoiceLinks({ invoices }: { invoices: Invoice[] }) {
  const { t } = useTranslation('bookings');
  return (
    <ul className="invoice-links" aria-label={t('invoice.list')}>
      {invoices.map((invoice) => (
        <li key={invoice.id} data-testid={`invoice-${invoice.number}`}>
          <DownloadInvoice invoice={invoice} />{' '}
          <small className="muted">{signedMoney(invoice, invoice.gross)} · {t('invoice.issued', { time: dateTime(invoice.issued_at) })}</small>
        </li>
      ))}
    </ul>
  );
}

/** The buyer's details for a booking's invoice, asked for from My bookings. */
function AskForInvoice({ bookingId, sellerName, onClose }: { bookingId: string; sellerName: string; onClose: () => void }) {
  const request = useRequestInvoice({ bookingId });
  const form = useBuyerForm(request.error);
  const { t } = useTranslation('bookings');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.check()) return;
    request.mutate(toBuyerIn(form.values), { onSuccess: onClose, onError: form.refused });
  };
  return (
    <form className="form invoice-form" onSubmit={submit} noValidate aria-label={t('checkout:invoice.details')}>
      <p className="muted invoice-form__about">{t('invoice.askAbout', { seller: sellerName })}</p>
      <BuyerFields values={form.values} errors={form.errors} onChange={form.set} fieldId={form.fieldId} />
      {request.error ? <ErrorMessage error={request.error} title={t('invoice.notAsked')} problems={form.elsewhere} /> : null}
      <div className="row">
        <button type="submit" className="btn btn--small" disabled={request.isPending}>
          {request.isPending ? t('invoice.asking') : t('invoice.ask')}
        </button>
        <button type="button" className="btn btn--ghost btn--small" onClick={onClose}>{t('invoice.cancel')}</button>
      </div>
    </form>
  );
}

interface Props {
  bookingId: string;
  /** The event's organizer: an invoice may be asked for when they issue invoices. */
  organizerId: string | null | undefined;
  /** Whether the booking may still be invoiced (not cancelled). */
  open: boolean;
}

/**
 * A booking's invoices in My bookings: each to download; while one asked for waits for the payment, that it will
 * come; else, when its organizer issues invoices, "Ask for an invoice" with the buyer's details.
 */
export function BookingInvoices({ bookingId, organizerId, open }: Props) {
  const askedHere = useAskedInvoice(bookingId);
  const invoices = useBookingInvoices(bookingId, { waiting: !!askedHere });
  const seller = usePublicSeller(organizerId);
  const [asking, setAsking] = useState(false);
  const { t } = useTranslation('bookings');
  const items = invoices.data?.items ?? [];
  if (invoices.isError) return <ErrorMessage error={invoices.error} title={t('invoice.notRead')} onRetry={() => void invoices.refetch()} />;
  if (items.length > 0) return <InvoiceLinks invoices={items} />;
  if (invoices.isPending) return null;
  // Asked for on this page, or before (the answer says so after a reload): it comes once paid.
  if (askedHere || invoices.data.requested) return <p className="muted invoice-waiting" role="status" data-testid="invoice-requested">{t('invoice.requested')}</p>;
  if (!open || !seller.data) return null;
  if (asking) return <AskForInvoice bookingId={bookingId} sellerName={seller.data.name} onClose={() => setAsking(false)} />;
  return (
    <button type="button" className="btn btn--ghost btn--small" onClick={() => setAsking(true)}>{t('invoice.askFor')}</button>
  );
}

/** On a booking's confirmation, when an invoice was asked for at checkout: that it comes once paid, then its link. */
export function InvoiceNote({ bookingId }: { bookingId: string }) {
  const asked = useAskedInvoice(bookingId);
  const invoices = useBookingInvoices(bookingId, { waiting: true, enabled: !!asked });
  const items = invoices.data?.items ?? [];
  const { t } = useTranslation('bookings');
  if (!asked) return null;
  return (
    <div className="invoice-note" role="status" data-testid="invoice-note">
      {items.length > 0 ? (
        <>
          <p>{t('invoice.issuedNote')}</p>
          <InvoiceLinks invoices={items} />
        </>
      ) : (
        <p>{t('invoice.comingNote')}</p>
      )}
    </div>
  );
}

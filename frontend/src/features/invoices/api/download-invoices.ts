import { downloadFile } from '@/lib/download';

import type { Invoice } from './get-invoices';

/** The API path an invoice's `pdf` names ("/api/invoices/{id}/pdf"), as the API client asks for it. */
export const pdfPath = (invoice: Pick<Invoice, 'pdf'>): string => invoice.pdf.replace(/^\/api(?=\/)/, '');

/** Save an invoice's PDF (its EN 16931 XML inside), fetched with the session's token. */
export const downloadInvoice = (invoice: Pick<Invoice, 'pdf' | 'number'>): Promise<string> =>
  downloadFile(pdfPath(invoice), { fallbackName: `invoice-${invoice.number}.pdf` });

/** Every invoice and cancellation issued, for the accountant: the organizer's own, or one event's. */
export const downloadInvoicesCsv = (eventId?: string): Promise<string> =>
  eventId
    ? downloadFile(`/events/${eventId}/invoices.csv`, { fallbackName: `invoices-${eventId}.csv` })
    : downloadFile('/organizers/me/invoices.csv', { fallbackName: 'invoices.csv' });

import { money } from '@/lib/format';
import { i18n } from '@/lib/i18n';

import type { Invoice } from '../api/get-invoices';

/** An invoice by its kind and number, as a person names it: "Invoice JN-00001", "Cancellation JN-00002 of JN-00001". */
export function invoiceTitle(invoice: Pick<Invoice, 'kind' | 'number' | 'cancels'>): string {
  if (invoice.kind === 'cancellation') {
    return invoice.cancels
      ? i18n.t('bookings:invoice.cancellationOf', { number: invoice.number, cancels: invoice.cancels })
      : i18n.t('bookings:invoice.cancellation', { number: invoice.number });
  }
  return i18n.t('bookings:invoice.title', { number: invoice.number });
}

/** An amount as it counts: a cancellation's takes its invoice's back, so it is negative. */
export function signedMoney(invoice: Pick<Invoice, 'kind' | 'currency'>, amount: string): string {
  const value = Number(amount);
  return invoice.kind === 'cancellation' && value !== 0 ? `−${money(value, invoice.currency)}` : money(value, invoice.currency);
}

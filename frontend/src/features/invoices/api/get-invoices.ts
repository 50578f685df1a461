import { useInfiniteQuery, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { cursorPages } from '@/lib/cursor-pages';
import type { Schemas } from '@/types/api';

import { invoiceKeys } from './query-keys';

/** An invoice or a cancellation (a credit note) as issued; its amounts are positive, its `kind` says which. */
export type Invoice = Schemas['InvoiceOut'];
export type InvoicePage = Schemas['InvoicePage'];
/** A booking's invoices, and whether one was asked for (while it waits for the payment: no items yet). */
export type BookingInvoices = Schemas['BookingInvoicesOut'];

export const INVOICES_PAGE = 25;
// While an invoice is asked for and not issued yet: the process manager issues it seconds after the payment.
const WAITING_POLL_MS = 3_000;

/** A booking's invoices and cancellations, in the order issued, and whether one was asked for; read again every
 * few seconds while one asked for (`waiting`, or as the answer says) has none issued yet. */
export const useBookingInvoices = (bookingId: string, { waiting = false, enabled = true } = {}) =>
  useQuery({
    queryKey: invoiceKeys.booking(bookingId),
    queryFn: async () => (await api.get<BookingInvoices>(`/bookings/${bookingId}/invoices`)).data,
    enabled,
    refetchInterval: (query) => {
      const found = query.state.data;
      return (waiting || found?.requested) && (found?.items.length ?? 0) === 0 ? WAITING_POLL_MS : false;
    },
  });

/** The invoices the signed-in organizer issued, the last first, page by page. */
export const useMyInvoices = () =>
  useInfiniteQuery(cursorPages<InvoicePage>(invoiceKeys.mine, '/organizers/me/invoices', INVOICES_PAGE));

/** An event's invoices, the last first, page by page (its organizers, admins and auditors). */
export const useEventInvoices = (eventId: string) =>
  useInfiniteQuery(cursorPages<InvoicePage>(invoiceKeys.event(eventId), `/events/${eventId}/invoices`, INVOICES_PAGE));

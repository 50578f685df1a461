import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

import { invoiceKeys } from './query-keys';

export type BuyerIn = Schemas['BuyerIn'];
/** A booking's invoice as asked: `requested` until the booking is paid, then `issued` with its invoice. */
export type InvoiceRequest = Schemas['InvoiceRequestOut'];

/** What the invoice is asked for: the hold at checkout (the booking it becomes), or a booking made already. */
export type InvoiceFor = { holdId: string } | { bookingId: string };

/** Ask for an invoice made out to `buyer`. Asked again, the first request and its invoice stand. */
export async function requestInvoice(target: InvoiceFor, buyer: BuyerIn): Promise<InvoiceRequest> {
  const path = 'holdId' in target ? `/holds/${target.holdId}/invoice` : `/bookings/${target.bookingId}/invoice`;
  return (await api.post<InvoiceRequest>(path, buyer)).data;
}

export function useRequestInvoice(target: InvoiceFor) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (buyer: BuyerIn) => requestInvoice(target, buyer),
    onSuccess: (asked) => {
      queryClient.setQueryData(invoiceKeys.request(asked.booking_id), asked);
      void queryClient.invalidateQueries({ queryKey: invoiceKeys.booking(asked.booking_id) });
    },
  });
}

/** The answer to asking for the booking's invoice from this page, if it was asked here (no read tells it). */
export const useAskedInvoice = (bookingId: string) =>
  useQuery<InvoiceRequest>({ queryKey: invoiceKeys.request(bookingId), queryFn: skipToken, gcTime: Infinity }).data;

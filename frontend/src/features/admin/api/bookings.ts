import { useInfiniteQuery, useMutation, useQueries, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { cursorPages } from '@/lib/cursor-pages';
import { ROOT } from '@/lib/react-query';
import type { Booking, BookingPage, LedgerEvent, Schemas } from '@/types/api';

import { adminKeys } from './query-keys';

export const BOOKINGS_PAGE = 50;

const pages = (key: readonly unknown[], path: string) => cursorPages<BookingPage>(key, path, BOOKINGS_PAGE);

/** An event's bookings, page by page (its organizers and admins). */
export const useEventBookings = (eventId: string) => useInfiniteQuery(pages(adminKeys.eventBookings(eventId), `/events/${eventId}/bookings`));

/** A user's bookings, page by page (admins). */
export const useUserBookings = (userId: string) => useInfiniteQuery(pages(adminKeys.userBookings(userId), `/users/${userId}/bookings`));

/** The events some bookings are for (their names and currencies). */
export function useBookedEvents(eventIds: string[]): Record<string, LedgerEvent | undefined> {
  const unique = [...new Set(eventIds)];
  const found = useQueries({
    queries: unique.map((id) => ({
      queryKey: adminKeys.bookedEvent(id),
      queryFn: async () => (await api.get<LedgerEvent>(`/events/${id}`)).data,
      staleTime: 60_000,
    })),
  });
  return Object.fromEntries(unique.map((id, i) => [id, found[i]?.data]));
}

/** Cancel a customer's booking with a reason the customer reads (its event's organizer or an admin). */
export async function cancelBookingWithReason({ bookingId, reason }: { bookingId: string; reason: string }): Promise<Booking> {
  const body: Schemas['CancelIn'] = { reason };
  const { data } = await api.post<Booking>(`/bookings/${bookingId}/cancel`, body);
  return data;
}

export function useCancelBookingWithReason() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: cancelBookingWithReason,
    onSuccess: () => {
      for (const root of [ROOT.admin, ROOT.events, ROOT.myBookings]) void queryClient.invalidateQueries({ queryKey: [root] });
    },
  });
}

export type TicketRefund = Schemas['RefundOut'];

/** Refund some tickets of a booking, saying why (its event's organizer, or an admin): their seats go back on sale. */
export async function refundTickets({ bookingId, tickets, reason }: { bookingId: string; tickets: string[]; reason: string }): Promise<TicketRefund> {
  const body: Schemas['RefundIn'] = { tickets, reason };
  const { data } = await api.post<TicketRefund>(`/bookings/${bookingId}/refunds`, body);
  return data;
}

export function useRefundTickets() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: refundTickets,
    onSuccess: () => {
      for (const root of [ROOT.admin, ROOT.events, ROOT.myBookings]) void queryClient.invalidateQueries({ queryKey: [root] });
    },
  });
}

export type OfflineMethod = Schemas['MarkPaidIn']['method'];

/** Mark a booking paid at the door or by bank transfer (its event's organizers, or an admin). */
export async function markPaid({ bookingId, method, reference }: { bookingId: string; method: OfflineMethod; reference?: string }) {
  const body: Schemas['MarkPaidIn'] = { method, ...(reference ? { reference } : {}) };
  return (await api.post<Schemas['OfflinePaymentOut']>(`/bookings/${bookingId}/payment`, body)).data;
}

/** Mark the refund of a booking paid at the door or by transfer given back. */
export async function markRefunded({ bookingId, reference }: { bookingId: string; reference?: string }) {
  const body: Schemas['MarkRefundedIn'] = reference ? { reference } : {};
  return (await api.post<Schemas['OfflinePaymentOut']>(`/bookings/${bookingId}/payment/refund`, body)).data;
}

function useBookingsChange<T, R>(change: (args: T) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: () => {
      for (const root of [ROOT.admin, ROOT.myBookings]) void queryClient.invalidateQueries({ queryKey: [root] });
    },
  });
}

export const useMarkPaid = () => useBookingsChange(markPaid);
export const useMarkRefunded = () => useBookingsChange(markRefunded);

/** Ask the provider again for a refund of the booking it refused. */
export async function retryRefund({ bookingId }: { bookingId: string }) {
  return (await api.post<Schemas['PaymentOut']>(`/bookings/${bookingId}/payment/refund-retry`)).data;
}

export const useRetryRefund = () => useBookingsChange(retryRefund);

import { useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { i18n } from '@/lib/i18n';
import { ROOT } from '@/lib/react-query';
import type { Booking, Hold, Payment, PaymentMethod, PaymentsConfig } from '@/types/api';

import { holdKeys } from './query-keys';

export async function getPaymentsConfig(): Promise<PaymentsConfig> {
  const { data } = await api.get<PaymentsConfig>('/payments/config');
  return data;
}

/** How the browser pays; it changes only with the server's settings. */
export function usePaymentsConfig() {
  return useQuery({ queryKey: holdKeys.paymentsConfig, queryFn: getPaymentsConfig, staleTime: Infinity });
}

export async function getPaymentMethods(): Promise<PaymentMethod[]> {
  const { data } = await api.get<{ items: PaymentMethod[] }>('/payments/methods');
  return data.items;
}

/** The payment methods the server has (an event accepts some of them); they change only with its settings. */
export function usePaymentMethods(enabled = true) {
  return useQuery({ queryKey: holdKeys.paymentMethods, queryFn: getPaymentMethods, staleTime: Infinity, enabled });
}

/** The methods a buyer may pay for an event's hold with: the server's, those the event accepts (null: every one). */
export function acceptedMethods(methods: PaymentMethod[], accepted: readonly string[] | null | undefined): PaymentMethod[] {
  // An event that never chose accepts the server's default (a card when one is set up).
  return methods.filter((m) => (accepted == null ? m.by_default : accepted.includes(m.name)));
}

/**
 * Pay for a hold with a method that books the seats first (a bank transfer): the hold is booked at
 * once, its price owed, and the answer carries the reference the buyer quotes. Asked again, the same.
 */
export async function payHoldBy(holdId: string, method: string): Promise<Payment> {
  const { data } = await api.post<Payment>(`/holds/${holdId}/payment`, { method });
  return data;
}

/**
 * Pay for a hold with a card's PaymentMethod (or card) id made by Stripe.js. Asked again after
 * 3-D Secure, the server answers the payment as it stands: no second charge.
 */
export async function payHold(holdId: string, paymentMethod: string): Promise<Payment> {
  const { data } = await api.post<Payment>(`/holds/${holdId}/payment`, { payment_method: paymentMethod });
  return data;
}

/** A hold as it stands now: kept for its payment, its `expires_at` is later. */
export async function getHold(holdId: string): Promise<Hold> {
  const { data } = await api.get<Hold>(`/holds/${holdId}`);
  return data;
}

export async function getBooking(bookingId: string): Promise<Booking> {
  const { data } = await api.get<Booking>(`/bookings/${bookingId}`);
  return data;
}

/** After a payment booked a hold: the lists that show it read again. */
export function usePaidHold() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: [ROOT.holds] });
    void queryClient.invalidateQueries({ queryKey: [ROOT.myBookings] });
    void queryClient.invalidateQueries({ queryKey: [ROOT.events] });
  };
}

/** A payment method's name in the UI's language (the API names it in English). */
export function methodName(method: { name: string; label: string }): string {
  return i18n.t(`checkout:methods.${method.name}`, { defaultValue: method.label });
}

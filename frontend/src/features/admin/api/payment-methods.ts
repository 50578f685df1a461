import { useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { PaymentMethod } from '@/types/api';

import { adminKeys } from './query-keys';

export async function getPaymentMethods(): Promise<PaymentMethod[]> {
  const { data } = await api.get<{ items: PaymentMethod[] }>('/payments/methods');
  return data.items;
}

/** The payment methods the server has: those an event may accept. They change only with its settings. */
export function usePaymentMethods() {
  return useQuery({ queryKey: adminKeys.paymentMethods, queryFn: getPaymentMethods, staleTime: Infinity });
}

import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

import { voucherKeys } from './query-keys';

/** No buyer may use the voucher from now on; the seats booked with it stay booked at its price. */
export async function disableVoucher({ eventId, code }: { eventId: string; code: string }): Promise<Schemas['VoucherDisabledOut']> {
  const { data } = await api.post<Schemas['VoucherDisabledOut']>(`/events/${eventId}/vouchers/${encodeURIComponent(code)}/disable`);
  return data;
}

export function useDisableVoucher(eventId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => disableVoucher({ eventId, code }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: voucherKeys.list(eventId) }),
  });
}

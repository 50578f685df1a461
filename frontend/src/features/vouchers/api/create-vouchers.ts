import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

import { voucherKeys } from './query-keys';

export type VoucherIn = Schemas['VoucherIn'];
/** The vouchers just made (a batch's random codes among them), nothing sold yet. */
export type VouchersMade = Schemas['VoucherMade'];

/** Make one voucher by its code, or a batch of random codes, all on the same terms. */
export async function createVouchers({ eventId, body }: { eventId: string; body: VoucherIn }): Promise<VouchersMade> {
  const { data } = await api.post<VouchersMade>(`/events/${eventId}/vouchers`, body);
  return data;
}

export function useCreateVouchers(eventId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: VoucherIn) => createVouchers({ eventId, body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: voucherKeys.list(eventId) }),
  });
}

import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { Booking } from '@/types/api';

/** Book a hold's seats at the price they were held at; a retry answers the same booking. */
export async function confirmHold(holdId: string): Promise<Booking> {
  const { data } = await api.post<Booking>(`/holds/${holdId}/confirm`);
  return data;
}

export function useConfirmHold() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: confirmHold,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [ROOT.holds] });
      void queryClient.invalidateQueries({ queryKey: [ROOT.myBookings] });
      void queryClient.invalidateQueries({ queryKey: [ROOT.events] });
    },
  });
}

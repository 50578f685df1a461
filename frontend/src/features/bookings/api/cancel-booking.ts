import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { Booking } from '@/types/api';

export async function cancelBooking(bookingId: string): Promise<Booking> {
  const { data } = await api.delete<Booking>(`/bookings/${bookingId}`);
  return data;
}

export function useCancelBooking() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: cancelBooking,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [ROOT.myBookings] });
      void queryClient.invalidateQueries({ queryKey: [ROOT.events] });
    },
  });
}

import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { Booking, Hold } from '@/types/api';

import { holdKeys } from './query-keys';

/** Book a hold's seats at the price they were held at; a retry answers the same booking. */
export async function confirmHold(holdId: string): Promise<Booking> {
  const { data } = await api.post<Booking>(`/holds/${holdId}/confirm`);
  return data;
}

export function useConfirmHold() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: confirmHold,
    onSuccess: (booking, holdId) => {
      // Confirmed in the cache at once: a view mounted before the lists are read again (the event
      // page's "Book more") must not offer this hold's checkout a second time.
      queryClient.setQueriesData<Hold[]>({ queryKey: holdKeys.lists }, (holds) =>
        holds?.map((h) => (h.id === holdId ? { ...h, status: 'confirmed', booking_id: booking.id } : h)));
      void queryClient.invalidateQueries({ queryKey: [ROOT.holds] });
      void queryClient.invalidateQueries({ queryKey: [ROOT.myBookings] });
      void queryClient.invalidateQueries({ queryKey: [ROOT.events] });
    },
  });
}

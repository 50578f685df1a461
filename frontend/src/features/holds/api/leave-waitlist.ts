import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { Place } from '@/types/api';

export async function leaveWaitlist(placeId: string): Promise<Place> {
  const { data } = await api.delete<Place>(`/waitlist/${placeId}`);
  return data;
}

export function useLeaveWaitlist() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: leaveWaitlist,
    onSettled: () => {
      // Settled: a place offered seats meanwhile (409 PLACE_ENDED) is read again, its offer with it.
      void queryClient.invalidateQueries({ queryKey: [ROOT.holds] });
      void queryClient.invalidateQueries({ queryKey: [ROOT.events] });
    },
  });
}

import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { Place } from '@/types/api';

export interface JoinInput { eventId: string; category: string; quantity: number; idempotencyKey: string }

/** Wait in a sold-out category's line; seats that come back on sale are offered in the order of joining. */
export async function joinWaitlist({ eventId, category, quantity, idempotencyKey }: JoinInput): Promise<Place> {
  const { data } = await api.post<Place>(
    `/events/${eventId}/waitlist`,
    { category, quantity },
    { headers: { 'Idempotency-Key': idempotencyKey } },
  );
  return data;
}

export function useJoinWaitlist() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: joinWaitlist,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [ROOT.holds] });
      void queryClient.invalidateQueries({ queryKey: [ROOT.events] });
    },
  });
}

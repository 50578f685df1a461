import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { Place, Schemas } from '@/types/api';

/** The API's PlaceIn (the UI always names the category), the event for the path and the request's Idempotency-Key. */
export type JoinInput = Schemas['PlaceIn'] & { category: string; eventId: string; idempotencyKey: string };

/** Take a place on a sold-out category's waitlist; seats that come back on sale are offered by rank (the order of joining). */
export async function joinWaitlist({ eventId, category, quantity, idempotencyKey }: JoinInput): Promise<Place> {
  const { data } = await api.post<Place>(
    `/events/${eventId}/waitlist`,
    { category, quantity } satisfies Schemas['PlaceIn'],
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

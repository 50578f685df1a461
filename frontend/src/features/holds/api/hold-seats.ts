import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { Hold, Schemas } from '@/types/api';

/** The API's HoldIn (the UI always names the category), the event for the path and the request's Idempotency-Key. */
export type HoldInput = Schemas['HoldIn'] & { category: string; eventId: string; idempotencyKey: string };

/** Take seats out of sale while the buyer checks out; they are theirs until the hold's `expires_at`. */
export async function holdSeats({ eventId, category, quantity, idempotencyKey }: HoldInput): Promise<Hold> {
  const { data } = await api.post<Hold>(
    `/events/${eventId}/holds`,
    { category, quantity } satisfies Schemas['HoldIn'],
    { headers: { 'Idempotency-Key': idempotencyKey } },
  );
  return data;
}

export function useHoldSeats() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: holdSeats,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [ROOT.events] });
      void queryClient.invalidateQueries({ queryKey: [ROOT.holds] });
    },
  });
}

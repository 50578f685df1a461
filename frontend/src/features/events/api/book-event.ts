import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { Booking } from '@/types/api';

export interface BookInput { eventId: string; category: string; quantity: number; idempotencyKey: string }

export async function bookEvent({ eventId, category, quantity, idempotencyKey }: BookInput): Promise<Booking> {
  const { data } = await api.post<Booking>(
    `/events/${eventId}/book`,
    { category, quantity },
    { headers: { 'Idempotency-Key': idempotencyKey } },
  );
  return data;
}

export function useBookEvent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: bookEvent,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [ROOT.events] });
      void queryClient.invalidateQueries({ queryKey: [ROOT.myBookings] });
    },
  });
}

import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { EventChanged, Schemas } from '@/types/api';

/** Hand an event to another organizer (admins): their rights start at that version. */
export function useTransferEvent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ eventId, organizerId }: { eventId: string; organizerId: string }) =>
      (await api.post<EventChanged>(`/events/${eventId}/transfer`, { organizer_id: organizerId } satisfies Schemas['TransferIn'])).data,
    onSuccess: () => {
      for (const root of [ROOT.admin, ROOT.events, ROOT.organizers]) void queryClient.invalidateQueries({ queryKey: [root] });
    },
  });
}

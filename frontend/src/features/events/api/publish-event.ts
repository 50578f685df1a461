import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { EventChanged } from '@/types/api';

/** Put a draft on sale (its organizers or an admin); one published already is answered as it is. */
export async function publishEvent(eventId: string): Promise<EventChanged> {
  const { data } = await api.post<EventChanged>(`/events/${eventId}/publish`);
  return data;
}

export function usePublishEvent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: publishEvent,
    onSuccess: () => {
      for (const root of [ROOT.events, ROOT.admin]) void queryClient.invalidateQueries({ queryKey: [root] });
    },
  });
}

/** Set a draft to go on sale by itself at `publishAt` (ISO), or withdraw its schedule (null). */
export async function schedulePublication({ eventId, publishAt }: { eventId: string; publishAt: string | null }): Promise<EventChanged> {
  const { data } = await api.put<EventChanged>(`/events/${eventId}/publication`, { publish_at: publishAt });
  return data;
}

export function useSchedulePublication() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: schedulePublication,
    onSuccess: () => {
      for (const root of [ROOT.events, ROOT.admin]) void queryClient.invalidateQueries({ queryKey: [root] });
    },
  });
}

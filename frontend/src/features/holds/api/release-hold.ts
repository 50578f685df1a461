import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { Hold } from '@/types/api';

import { holdKeys } from './query-keys';

/** Give a hold's seats back now; an offer to a place on a waitlist is declined so and passes to the place ranked next. */
export async function releaseHold(holdId: string): Promise<Hold> {
  const { data } = await api.delete<Hold>(`/holds/${holdId}`);
  return data;
}

export function useReleaseHold() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: releaseHold,
    onSuccess: (released) => {
      queryClient.setQueriesData<Hold[]>({ queryKey: holdKeys.lists }, (holds) =>
        holds?.map((h) => (h.id === released.id ? { ...h, status: released.status } : h)));
    },
    onSettled: () => {
      // Settled, not only succeeded: a hold that ended meanwhile (409, 410) is read again too.
      void queryClient.invalidateQueries({ queryKey: [ROOT.holds] });
      void queryClient.invalidateQueries({ queryKey: [ROOT.events] });
    },
  });
}

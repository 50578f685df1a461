import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { downloadFile } from '@/lib/download';
import { ROOT } from '@/lib/react-query';
import type { Schemas } from '@/types/api';

import { adminKeys } from './query-keys';

export { isErased } from '@/lib/persons';

/** Forget a person (admins: `POST /users/{id}/erasure`); what names people (users, bookings, organizers) is read
 * again after. */
export function useErasePerson() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (userId: string) => (await api.post<Schemas['ErasureOut']>(`/users/${userId}/erasure`)).data,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: adminKeys.all });
      void queryClient.invalidateQueries({ queryKey: [ROOT.organizers] });
    },
  });
}

/** Save everything held about a user as the API's JSON file (an admin answering a request received by mail). */
export const downloadUserData = (userId: string): Promise<string> =>
  downloadFile(`/users/${userId}/data`, { fallbackName: `personal-data-${userId}.json` });

/** Forget a buyer of the organizer's own events (`POST /organizers/me/buyers/{id}/erasure`): one who bought only for
 * events they run; the bookings, box office and attendees are read again after. */
export function useForgetBuyer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (userId: string) =>
      (await api.post<Schemas['ErasureOut']>(`/organizers/me/buyers/${userId}/erasure`)).data,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: adminKeys.all }),
  });
}

import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { OrganizerPage } from '@/types/api';

/** How many organizers a picker shows for one search: type more of the name to narrow it. */
export const PICKER_PAGE = 20;

/** Organizers whose name starts with `q` (any case), searched on the server: admins and
 * organizers see every organizer account, also those who run no event yet. */
export const useOrganizerSearch = (q: string) =>
  useQuery({
    queryKey: [ROOT.organizers, 'search', q],
    queryFn: async () =>
      (await api.get<OrganizerPage>('/organizers', { params: { q: q || undefined, limit: PICKER_PAGE } })).data,
    placeholderData: keepPreviousData,
  });

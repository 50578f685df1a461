import { useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

import { auditKeys } from './query-keys';

export type EventKind = Schemas['EventKindOut'];

/** Every kind of domain event the log may hold, as the server declares them: the log's filter and every label. */
export const useEventKinds = () =>
  useQuery({
    queryKey: auditKeys.eventKinds,
    queryFn: async () => (await api.get<Schemas['EventKinds']>('/audit/event-types')).data.items,
    staleTime: Infinity,
  });

/** A kind's label as the server declares it; while they load (or for a kind it does not know), its name in words. */
export function labelOf(type: string, kinds: readonly EventKind[] | undefined): string {
  const declared = kinds?.find((k) => k.type === type)?.label;
  if (declared) return declared;
  const words = type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

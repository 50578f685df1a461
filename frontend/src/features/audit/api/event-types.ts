import { useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { currentLanguage, i18n, SOURCE_LANGUAGE } from '@/lib/i18n';
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

/** A kind's label: in English as the server declares it, in another language the `audit` catalogue's (kinds.<type>);
 * while they load (or for a kind neither knows), its name in words. */
export function labelOf(type: string, kinds: readonly EventKind[] | undefined): string {
  const key = `audit:kinds.${type}`;
  if (currentLanguage() !== SOURCE_LANGUAGE && i18n.exists(key)) return i18n.t(key);
  const declared = kinds?.find((k) => k.type === type)?.label;
  if (declared) return declared;
  const words = type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

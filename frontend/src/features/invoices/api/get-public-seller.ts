import { useQuery } from '@tanstack/react-query';

import { api, normaliseError } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

import { invoiceKeys } from './query-keys';

/** An organizer who issues invoices, as a checkout names them. */
export type PublicSeller = Schemas['PublicSellerOut'];

/** The organizer's seller, or null when they issue no invoices (a 404: no seller's details set). */
export async function getPublicSeller(organizerId: string): Promise<PublicSeller | null> {
  try {
    return (await api.get<PublicSeller>(`/organizers/${organizerId}/seller`)).data;
  } catch (error) {
    if (normaliseError(error).status === 404) return null;
    throw error;
  }
}

/** Whether the organizer issues invoices: what decides if a checkout or a booking offers one. */
export const usePublicSeller = (organizerId: string | null | undefined) =>
  useQuery({
    queryKey: invoiceKeys.seller(organizerId ?? ''),
    queryFn: () => getPublicSeller(organizerId ?? ''),
    enabled: !!organizerId,
    staleTime: 5 * 60_000, // an organizer sets their details once
  });

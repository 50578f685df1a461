import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, normaliseError } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

import { invoiceKeys } from './query-keys';

export type SellerIn = Schemas['SellerIn'];
/** An organizer's seller's details as their invoices name them, with how many were issued. */
export type Seller = Schemas['SellerOut'];

/** Your seller's details, or null while none are set (the API's SELLER_NOT_FOUND). */
export async function getMySeller(): Promise<Seller | null> {
  try {
    return (await api.get<Seller>('/organizers/me/seller')).data;
  } catch (error) {
    if (normaliseError(error).code === 'SELLER_NOT_FOUND') return null;
    throw error;
  }
}

export const useMySeller = () => useQuery({ queryKey: invoiceKeys.mySeller, queryFn: getMySeller });

/** Name these details on every invoice issued from now on; setting them lets buyers ask for invoices. */
export async function setSeller(body: SellerIn): Promise<Seller> {
  return (await api.put<Seller>('/organizers/me/seller', body)).data;
}

export function useSetSeller() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setSeller,
    onSuccess: (seller) => {
      queryClient.setQueryData(invoiceKeys.mySeller, seller);
      void queryClient.invalidateQueries({ queryKey: invoiceKeys.seller(seller.organizer_id) });
    },
  });
}

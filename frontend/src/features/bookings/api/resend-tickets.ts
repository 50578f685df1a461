import { useMutation } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Schemas } from '@/types/api';

/** A booking's confirmation, with its tickets as they stand, e-mailed again to its holder's address. */
export async function resendTickets(bookingId: string): Promise<Schemas['MessageOut']> {
  const { data } = await api.post<Schemas['MessageOut']>(`/bookings/${bookingId}/resend-email`);
  return data;
}

export const useResendTickets = () => useMutation({ mutationFn: resendTickets });

import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ROOT } from '@/lib/react-query';
import type { Hold, HoldLine, Schemas } from '@/types/api';

/** What a hold asks for, the API's HoldIn in one of its two forms (the UI always names the category): one
 * category's seats, or an order across categories (`lines`, all held or none under one expiry). */
export type HoldOrder = { category: string; quantity: number } | { lines: HoldLine[] };

/** A hold's order, the event for the path and the request's Idempotency-Key; `voucher`, a code the buyer typed. */
export type HoldInput = HoldOrder & { eventId: string; idempotencyKey: string; voucher?: string };

/** HoldIn as sent: the single form, or `lines` alone (both at once is a 422), with the voucher's code when one was
 * typed. */
export function holdBody(input: HoldInput): Schemas['HoldIn'] {
  const voucher = input.voucher?.trim() ? { voucher: input.voucher.trim() } : {};
  if ('lines' in input) return { lines: input.lines.map(({ category, quantity }) => ({ category, quantity })), ...voucher };
  return { category: input.category, quantity: input.quantity, ...voucher };
}

/** Take seats out of sale while the buyer checks out; they are theirs until the hold's `expires_at`. */
export async function holdSeats(input: HoldInput): Promise<Hold> {
  const { data } = await api.post<Hold>(`/events/${input.eventId}/holds`, holdBody(input), {
    headers: { 'Idempotency-Key': input.idempotencyKey },
  });
  return data;
}

export function useHoldSeats() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: holdSeats,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [ROOT.events] });
      void queryClient.invalidateQueries({ queryKey: [ROOT.holds] });
    },
  });
}

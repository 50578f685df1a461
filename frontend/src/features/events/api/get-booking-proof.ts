import { api } from '@/lib/api-client';
import type { InclusionProof } from '@/types/api';

/** The proof that a booking's event is a leaf of a signed head (RFC 9162 inclusion proof). */
export async function getBookingProof(bookingId: string): Promise<InclusionProof> {
  const { data } = await api.get<InclusionProof>(`/audit/proofs/bookings/${bookingId}`);
  return data;
}

/** Hand the proof to the browser as a JSON file (check it with tools/verify_export.py --proof). */
export function saveProof(bookingId: string, proof: InclusionProof): void {
  const blob = new Blob([JSON.stringify(proof, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `booking-${bookingId}-proof.json`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

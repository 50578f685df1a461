import { api } from '@/lib/api-client';

/** A signed tree head: the Merkle root over the first `tree_size` stored events, Ed25519-signed. */
export type SignedHead = {
  tree_size: number;
  root_hash: string;
  timestamp: string;
  key_id: string;
  signature: string;
};

/** The proof that a booking's event is a leaf of a signed head (RFC 9162 inclusion proof). */
export type InclusionProof = {
  leaf_index: number;
  tree_size: number;
  leaf: Record<string, unknown>;
  leaf_hash: string;
  audit_path: string[];
  head: SignedHead;
};

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

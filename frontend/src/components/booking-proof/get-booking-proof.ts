import { AxiosHeaders, type RawAxiosHeaders } from 'axios';

import { api, ApiError } from '@/lib/api-client';
import { saveJson } from '@/lib/download';
import { serverNow } from '@/lib/server-clock';
import type { InclusionProof } from '@/types/api';

/** No signed head covers the booking yet: the next one is due at `dueAt`, an instant of the server's clock (ms). */
export interface ProofNotYet { code: string; message: string; dueAt: number }
export type ProofAnswer = { proof: InclusionProof } | { notYet: ProofNotYet };

// The refusals that end on their own when the signer's next head (or the tree) catches up.
const PASSING = new Set(['PROOF_NOT_YET_SIGNED', 'LEAF_NOT_YET_IN_TREE']);
// When an answer names no wait: about a tree's catch-up, not a signer's whole interval.
const DEFAULT_WAIT_MS = 5_000;

/**
 * When the next head is due, as an instant of the server's clock: its `Retry-After` (seconds, or an HTTP date) from
 * the server's now as this device knows it (`serverNow`). The answer's `Date` is not the base: the server stamps it
 * when the request arrives, and it holds a proof request a few seconds for the head before it answers.
 */
export function nextHeadAt(headers: object, now: number = serverNow()): number {
  const retry = String(AxiosHeaders.from(headers as RawAxiosHeaders).get('retry-after') ?? '').trim();
  if (/^\d+$/.test(retry)) return now + Number(retry) * 1000;
  const at = Date.parse(retry);
  return Number.isNaN(at) ? now + DEFAULT_WAIT_MS : at;
}

/**
 * The booking's inclusion proof against the latest signed head, or when to ask again: a 409 that passes with the next
 * head is an answer here, not an error. Any other refusal rejects as the API's error.
 */
export async function fetchBookingProof(bookingId: string): Promise<ProofAnswer> {
  const response = await api.get<InclusionProof>(`/audit/proofs/bookings/${bookingId}`, {
    validateStatus: (status) => (status >= 200 && status < 300) || status === 409,
  });
  if (response.status !== 409) return { proof: response.data };
  const body = (response.data ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof body.code === 'string' ? body.code : 'HTTP_409';
  const message = typeof body.message === 'string' ? body.message : 'The server answered 409.';
  if (!PASSING.has(code)) throw new ApiError(code, message, 409);
  return { notYet: { code, message, dueAt: nextHeadAt(response.headers) } };
}

/** Hand the proof to the browser as a JSON file (check it with tools/verify_export.py --proof). */
export function saveProof(bookingId: string, proof: InclusionProof): void {
  saveJson(`booking-${bookingId}-proof.json`, proof);
}

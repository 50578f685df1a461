import { useQuery } from '@tanstack/react-query';
import { AxiosHeaders, type RawAxiosHeaders } from 'axios';

import { api, ApiError } from '@/lib/api-client';
import { saveJson } from '@/lib/download';
import { ROOT } from '@/lib/react-query';
import { serverNow } from '@/lib/server-clock';
import type { InclusionProof, SignedHead } from '@/types/api';

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

/** How many stored events the latest signed head covers: 0 when none is signed yet. */
export async function fetchSignedSize(): Promise<number> {
  try {
    return (await api.get<SignedHead>('/audit/checkpoints/latest')).data.tree_size;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'CHECKPOINT_NOT_FOUND') return 0;
    throw error;
  }
}

// Heads are signed about once a minute: asking this often, one request for the whole page, offers the proof soon
// after its head.
const SIGNED_SIZE_POLL_MS = 10_000;

/** Whether the booking's proof can be had: `ready` (a signed head covers it), `soon` (not yet), `checking`, or
 * `unknown` (no position to tell by, or the head could not be read: asking for the proof says). */
export type ProofReadiness = 'ready' | 'soon' | 'checking' | 'unknown';

/**
 * Whether a signed head covers a booking whose latest event is at `position`: a head's size counts stored events,
 * each at a position of its own, so a head of at least `position` events holds the one that made the booking.
 * Asked again while it does not.
 */
export function useProofReadiness(position: number | null | undefined): ProofReadiness {
  const at = typeof position === 'number' && position > 0 ? position : 0;
  const size = useQuery({
    queryKey: [ROOT.audit, 'booking-proof', 'signed-size'],
    queryFn: fetchSignedSize,
    enabled: at > 0,
    staleTime: 5_000,
    refetchInterval: (query) => (at > 0 && (query.state.data ?? 0) < at ? SIGNED_SIZE_POLL_MS : false),
  });
  if (at === 0 || size.isError) return 'unknown';
  if (size.data === undefined) return 'checking';
  return size.data >= at ? 'ready' : 'soon';
}

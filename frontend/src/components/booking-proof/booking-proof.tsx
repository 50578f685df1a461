import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import { formatCountdown, useCountdown } from '@/lib/countdown';
import { serverNow } from '@/lib/server-clock';
import type { InclusionProof } from '@/types/api';

import { fetchBookingProof, saveProof, type ProofNotYet } from './get-booking-proof';

// Heads come every interval while the log grows: a signer that missed this many in a row is down, and asking on
// without end would only hide it.
const AUTOMATIC_TRIES = 5;

/**
 * "Download proof": the booking's inclusion proof in the latest signed tree head. Until a head covers the booking it
 * counts down to the next one (by the server's clock), asks again at zero, then offers the file.
 */
export function BookingProof({ bookingId }: { bookingId: string }) {
  const [waiting, setWaiting] = useState<ProofNotYet | null>(null);
  const [ready, setReady] = useState<InclusionProof | null>(null);
  const [saved, setSaved] = useState(false);
  const [tries, setTries] = useState(0);
  const ask = useMutation({
    mutationFn: (_: { asked: boolean }) => fetchBookingProof(bookingId),
    onSuccess: (answer, { asked }) => {
      if ('notYet' in answer) { setWaiting(answer.notYet); return; }
      setWaiting(null);
      setReady(answer.proof);
      // Saved at once only when a person's click asked for it; one found by a retry is offered instead.
      if (asked) { saveProof(bookingId, answer.proof); setSaved(true); }
    },
    onError: () => setWaiting(null),
  });
  const remaining = useCountdown(waiting ? new Date(waiting.dueAt).toISOString() : null);
  const due = !!waiting && remaining === 0 && serverNow() >= waiting.dueAt;
  const givenUp = !!waiting && tries >= AUTOMATIC_TRIES && !ask.isPending;

  useEffect(() => {
    if (!due || givenUp || ask.isPending) return;
    setTries((t) => t + 1);
    ask.mutate({ asked: false });
  }, [due, givenUp, ask]);

  const download = () => {
    if (ready) { saveProof(bookingId, ready); setSaved(true); return; }
    setTries(0);
    ask.mutate({ asked: true });
  };

  return (
    <div className="proof" data-testid="booking-proof">
      {!waiting && (
        <button type="button" className={`btn btn--small${ready && !saved ? '' : ' btn--ghost'}`} disabled={ask.isPending} onClick={download}>
          {ask.isPending ? 'Preparing proof…' : ready && !saved ? 'Save proof file' : 'Download proof'}
        </button>
      )}
      {waiting && !givenUp && (
        <p className="muted" role="status" data-testid="proof-waiting">
          {ask.isPending || remaining === 0
            ? 'Asking for the proof again…'
            : <>No signed head covers this booking yet. The next is due in{' '}
              <strong className="proof__countdown" role="timer" aria-live="off" data-testid="proof-countdown">{formatCountdown(remaining)}</strong>;
              the proof is fetched then.</>}
        </p>
      )}
      {givenUp && (
        <div className="alert alert--warning" role="status">
          <p>Still no signed head covers this booking: the signing service may be late.</p>
          <button type="button" className="btn btn--small" onClick={download}>Try again</button>
        </div>
      )}
      {ready && !saved && <p className="muted" role="status">The proof is ready: save it to check it offline.</p>}
      {ready && saved && (
        <p className="muted" role="status">
          Saved: event {ready.leaf_index + 1} of {ready.tree_size} in the ledger, head signed {ready.head.timestamp} by key{' '}
          <code>{ready.head.key_id}</code>.
        </p>
      )}
      {ask.error && <ErrorMessage error={ask.error} title="No proof" />}
    </div>
  );
}

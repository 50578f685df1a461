import { useMutation } from '@tanstack/react-query';

import { ErrorMessage } from '@/components/ui/feedback';

import { getBookingProof, saveProof } from '../api/get-booking-proof';

/** "Download proof": the booking's inclusion proof in the ledger's latest signed tree head. */
export function ProofDownload({ bookingId }: { bookingId: string }) {
  const proof = useMutation({
    mutationFn: () => getBookingProof(bookingId),
    onSuccess: (found) => saveProof(bookingId, found),
  });
  return (
    <div className="proof" data-testid="booking-proof">
      <button type="button" className="btn btn--ghost" disabled={proof.isPending} onClick={() => proof.mutate()}>
        {proof.isPending ? 'Preparing proof…' : 'Download proof'}
      </button>
      {proof.data && (
        <p className="muted" role="status">
          Saved: event {proof.data.leaf_index + 1} of {proof.data.tree_size} in the ledger, head signed{' '}
          {proof.data.head.timestamp} by key <code>{proof.data.head.key_id}</code>.
        </p>
      )}
      {proof.error && <ErrorMessage error={proof.error} title="No proof yet" />}
    </div>
  );
}

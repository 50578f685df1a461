import { ErrorMessage, Notice } from '@/components/ui/feedback';

import { useResendTickets } from '../api/resend-tickets';

/** "E-mail my tickets again": the confirmation with the tickets, sent again to the account's address. */
export function ResendTickets({ bookingId }: { bookingId: string }) {
  const resend = useResendTickets();
  return (
    <div className="resend">
      <button type="button" className="btn btn--small btn--ghost" disabled={resend.isPending || resend.isSuccess}
        onClick={() => resend.mutate(bookingId)}>
        {resend.isPending ? 'Sending…' : 'E-mail my tickets again'}
      </button>
      {resend.isSuccess && (
        <Notice tone="success">On its way to {resend.data.recipient_email}, with your tickets as a PDF.</Notice>
      )}
      {resend.error && <ErrorMessage error={resend.error} title="Not sent" />}
    </div>
  );
}

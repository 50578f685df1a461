import { Empty, ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { dateTime } from '@/lib/format';

import { useMessages, type Message } from '../api/box-office';

const KIND_WORDS: Record<Message['kind'], string> = {
  booking_confirmed: 'Booking confirmed, with tickets',
  booking_cancelled: 'Booking cancelled',
  tickets_cancelled: 'Tickets refunded',
  waitlist_offer: 'Waitlist offer',
  event_cancelled: 'Event cancelled',
  invoice_issued: 'Invoice, with its PDF',
  invoice_cancelled: 'Invoice cancelled, with the cancellation’s PDF',
};

function Status({ message }: { message: Message }) {
  const words = message.last_error && <small className="muted" data-testid="refusal"> {message.last_error}</small>;
  // A sent message may carry a later report that delivery is delayed; it is still on its way.
  if (message.status === 'sent') return <><span className="badge badge--green">Sent</span>{words}</>;
  if (message.status === 'failed') return <><span className="badge badge--red">Not delivered</span>{words}</>;
  // Taken by the mail server, then returned by the recipient's: the address does not take mail.
  if (message.status === 'bounced') return <><span className="badge badge--red">Bounced</span>{words}</>;
  return <span className="badge">{message.status === 'sending' ? 'Sending' : 'Waiting to send'}</span>;
}

/** What the ledger e-mailed the event's buyers, and whether each message went out (a refusal or a bounce in the servers' words). */
export function Messages({ eventId }: { eventId: string }) {
  const messages = useMessages(eventId);
  const items = messages.data?.pages.flatMap((p) => p.items) ?? [];
  if (messages.isPending) return <Spinner label="Loading messages" />;
  if (messages.isError) return <ErrorMessage error={messages.error} onRetry={() => void messages.refetch()} />;
  if (items.length === 0) return <Empty title="No messages to buyers yet" />;
  return (
    <>
      <TableWrap label="Messages to buyers">
        <table className="table" aria-label="Messages to buyers">
          <thead>
            <tr><th scope="col">Message</th><th scope="col">To</th><th scope="col">Status</th><th scope="col">Queued</th></tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.id} data-testid={`message-${m.id}`}>
                <th scope="row">{KIND_WORDS[m.kind]}{m.resend > 0 && <small className="muted"> · sent again on request</small>}</th>
                <td>{m.recipient_name} <small className="muted">{m.recipient_email}</small></td>
                <td><Status message={m} /></td>
                <td className="nowrap">{dateTime(m.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {messages.hasNextPage && (
        <button type="button" className="btn btn--ghost" disabled={messages.isFetchingNextPage} onClick={() => void messages.fetchNextPage()}>
          {messages.isFetchingNextPage ? 'Loading…' : 'More messages'}
        </button>
      )}
    </>
  );
}

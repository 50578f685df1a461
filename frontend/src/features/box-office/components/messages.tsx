import { useTranslation } from 'react-i18next';

import { Empty, ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { dateTime } from '@/lib/format';
import { personName } from '@/lib/persons';

import { useMessages, type Message } from '../api/box-office';

// Each kind of message in words: a key of boxOffice:messages.kind (every kind the API names has one).
const KINDS: Record<Message['kind'], string> = {
  booking_confirmed: 'bookingConfirmed', booking_cancelled: 'bookingCancelled', tickets_cancelled: 'ticketsCancelled',
  waitlist_offer: 'waitlistOffer', event_cancelled: 'eventCancelled', invoice_issued: 'invoiceIssued', invoice_cancelled: 'invoiceCancelled',
};

function Status({ message }: { message: Message }) {
  const { t } = useTranslation('boxOffice');
  const words = message.last_error && <small className="muted" data-testid="refusal"> {message.last_error}</small>;
  // A sent message may carry a later report that delivery is delayed; it is still on its way.
  if (message.status === 'sent') return <><span className="badge badge--green">{t('messages.sent')}</span>{words}</>;
  if (message.status === 'failed') return <><span className="badge badge--red">{t('messages.failed')}</span>{words}</>;
  // Taken by the mail server, then returned by the recipient's: the address does not take mail.
  if (message.status === 'bounced') return <><span className="badge badge--red">{t('messages.bounced')}</span>{words}</>;
  return <span className="badge">{message.status === 'sending' ? t('messages.sending') : t('messages.waiting')}</span>;
}

/** What the ledger e-mailed the event's buyers, and whether each message went out (a refusal or a bounce in the servers' words). */
export function Messages({ eventId }: { eventId: string }) {
  const { t } = useTranslation('boxOffice');
  const messages = useMessages(eventId);
  const items = messages.data?.pages.flatMap((p) => p.items) ?? [];
  if (messages.isPending) return <Spinner label={t('messages.loading')} />;
  if (messages.isError) return <ErrorMessage error={messages.error} onRetry={() => void messages.refetch()} />;
  if (items.length === 0) return <Empty title={t('messages.none')} />;
  return (
    <>
      <TableWrap label={t('messages.title')}>
        <table className="table" aria-label={t('messages.title')}>
          <thead>
            <tr><th scope="col">{t('messages.message')}</th><th scope="col">{t('messages.to')}</th><th scope="col">{t('attendees.statusTitle')}</th><th scope="col">{t('messages.queued')}</th></tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.id} data-testid={`message-${m.id}`}>
                <th scope="row">{t(`messages.kind.${KINDS[m.kind]}`)}{m.resend > 0 && <small className="muted"> · {t('messages.resent')}</small>}</th>
                <td>{personName(m.recipient_name)} <small className="muted">{m.recipient_email}</small></td>
                <td><Status message={m} /></td>
                <td className="nowrap">{dateTime(m.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {messages.hasNextPage && (
        <button type="button" className="btn btn--ghost" disabled={messages.isFetchingNextPage} onClick={() => void messages.fetchNextPage()}>
          {messages.isFetchingNextPage ? t('common:loadingMore') : t('messages.more')}
        </button>
      )}
    </>
  );
}

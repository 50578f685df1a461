import { useTranslation } from 'react-i18next';
import { ErrorMessage, Notice } from '@/components/ui/feedback';

import { useResendTickets } from '../api/resend-tickets';

/** "E-mail my tickets again": the confirmation with the tickets, sent again to the account's address. */
export function ResendTickets({ bookingId }: { bookingId: string }) {
  const resend = useResendTickets();
  const { t } = useTranslation('bookings');
  return (
    <div className="resend">
      <button type="button" className="btn btn--small btn--ghost" disabled={resend.isPending || resend.isSuccess}
        onClick={() => resend.mutate(bookingId)}>
        {resend.isPending ? t('resend.sending') : t('resend.send')}
      </button>
      {resend.isSuccess && (
        <Notice tone="success">{t('resend.sent', { email: resend.data.recipient_email })}</Notice>
      )}
      {resend.error && <ErrorMessage error={resend.error} title={t('resend.notSent')} />}
    </div>
  );
}

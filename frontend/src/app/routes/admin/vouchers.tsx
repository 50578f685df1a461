import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';

import { Empty, ErrorMessage, statusWord } from '@/components/ui/feedback';
import { useAdminEvent } from '@/features/admin/api/events';
import { VoucherForm } from '@/features/vouchers/components/voucher-form';
import { VoucherList } from '@/features/vouchers/components/voucher-list';
import { useAuth } from '@/lib/auth';
import { runs } from '@/lib/authorization';

export function AdminVouchersRoute() {
  const { t } = useTranslation('vouchers');
  const { eventId = '' } = useParams();
  const { user } = useAuth();
  const event = useAdminEvent(eventId);
  const e = event.data;
  if (e && !runs(user, e)) {
    return (
      <div className="card" data-testid="not-your-event">
        <Empty title={t('organizer:editor.notYours')}>
          <p className="muted">{t('onlyOrganizers', { name: e.name })}</p>
          <p><Link to="/admin">{t('organizer:editor.yourDashboard')}</Link></p>
        </Empty>
      </div>
    );
  }
  return (
    <>
      <div className="card">
        <p className="crumbs">
          <Link to="/admin">{t('organizer:editor.dashboard')}</Link> · <Link to={`/admin/events/${eventId}/bookings`}>{t('manage:bookings')}</Link>
          {' · '}<Link to={`/admin/events/${eventId}/box-office`}>{t('manage:boxOffice')}</Link>
        </p>
        <h1>{t('manage:vouchers')}{e ? ` · ${e.name}` : ''}</h1>
        <p className="muted">
          {t('about')}
          {e && e.status !== 'active' && ` ${t('closed', { status: statusWord(e.status) })}`}
        </p>
        {event.isError && <ErrorMessage error={event.error} onRetry={() => void event.refetch()} />}
      </div>
      {e?.status === 'active' && (
        <section className="card" aria-labelledby="new-voucher-title">
          <h2 id="new-voucher-title">{t('form.title')}</h2>
          <VoucherForm eventId={eventId} event={e} />
        </section>
      )}
      {e && (
        <section className="card" aria-labelledby="vouchers-title">
          <h2 id="vouchers-title">{t('list.title')}</h2>
          <VoucherList eventId={eventId} currency={e.currency} zone={e.timezone} />
        </section>
      )}
    </>
  );
}

import { Link, useParams } from 'react-router-dom';

import { Empty, ErrorMessage } from '@/components/ui/feedback';
import { useAdminEvent } from '@/features/admin/api/events';
import { VoucherForm } from '@/features/vouchers/components/voucher-form';
import { VoucherList } from '@/features/vouchers/components/voucher-list';
import { useAuth } from '@/lib/auth';
import { runs } from '@/lib/authorization';

export function AdminVouchersRoute() {
  const { eventId = '' } = useParams();
  const { user } = useAuth();
  const event = useAdminEvent(eventId);
  const e = event.data;
  if (e && !runs(user, e)) {
    return (
      <div className="card" data-testid="not-your-event">
        <Empty title="Not your event">
          <p className="muted">Only its organizers or an admin can make vouchers for “{e.name}”.</p>
          <p><Link to="/admin">← Your dashboard</Link></p>
        </Empty>
      </div>
    );
  }
  return (
    <>
      <div className="card">
        <p className="crumbs">
          <Link to="/admin">← Dashboard</Link> · <Link to={`/admin/events/${eventId}/bookings`}>Bookings</Link>
          {' · '}<Link to={`/admin/events/${eventId}/box-office`}>Box office</Link>
        </p>
        <h1>Vouchers{e ? ` · ${e.name}` : ''}</h1>
        <p className="muted">
          Codes that lower what tickets cost: buyers type one at checkout.
          {e && e.status !== 'active' && ` This event is ${e.status}: no new vouchers can be made.`}
        </p>
        {event.isError && <ErrorMessage error={event.error} onRetry={() => void event.refetch()} />}
      </div>
      {e?.status === 'active' && (
        <section className="card" aria-labelledby="new-voucher-title">
          <h2 id="new-voucher-title">New voucher</h2>
          <VoucherForm eventId={eventId} event={e} />
        </section>
      )}
      {e && (
        <section className="card" aria-labelledby="vouchers-title">
          <h2 id="vouchers-title">This event’s vouchers</h2>
          <VoucherList eventId={eventId} currency={e.currency} zone={e.timezone} />
        </section>
      )}
    </>
  );
}

import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';

import { Empty, ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { useAdminEvent, useSaveEvent } from '@/features/admin/api/events';
import { usePaymentMethods } from '@/features/admin/api/payment-methods';
import { EventForm } from '@/features/admin/components/event-form';
import { EventLifecycle } from '@/features/admin/components/event-lifecycle';
import { CoOrganizers } from '@/features/organizers/components/co-organizers';
import { useAuth } from '@/lib/auth';
import { owns, runs } from '@/lib/authorization';

export function AdminEventEditorRoute() {
  const { t } = useTranslation('organizer');
  const { eventId } = useParams();
  const navigate = useNavigate();
  const { user, hasRole } = useAuth();
  const existing = useAdminEvent(eventId);
  const save = useSaveEvent(eventId);
  const methods = usePaymentMethods();

  // Wait for a fresh read: the form starts from it, and sold seats bound the capacities.
  if (eventId && !existing.isError && !existing.isFetchedAfterMount) return <Spinner label={t('editor.loading')} />;
  if (eventId && existing.isError) return <ErrorMessage error={existing.error} />;
  if (existing.data && !runs(user, existing.data)) {
    return (
      <div className="card" data-testid="not-your-event">
        <Empty title={t('editor.notYours')}>
          <p className="muted">{t('editor.onlyOrganizers', { name: existing.data.name })}</p>
          <p><Link to="/admin">{t('editor.yourDashboard')}</Link></p>
        </Empty>
      </div>
    );
  }
  return (
    <>
      <div className="card">
        <p className="crumbs"><Link to="/admin">{t('editor.dashboard')}</Link></p>
        <h1>{eventId ? t('editor.edit', { name: existing.data?.name }) : t('editor.new')}</h1>
        <EventForm
          key={eventId ?? 'new'}
          event={existing.data}
          methods={methods.data}
          busy={save.isPending}
          error={save.error}
          onSubmit={(input) => save.mutate(input, { onSuccess: (saved) => navigate(`/events/${saved.id}`) })}
        />
      </div>
      {existing.data && owns(user, existing.data) && (
        <section className="card" aria-labelledby="lifecycle-title">
          <h2 id="lifecycle-title">{existing.data.published || existing.data.status !== 'active' ? t('editor.end') : t('editor.discard')}</h2>
          <EventLifecycle event={existing.data} admin={hasRole('admin')} />
        </section>
      )}
      {existing.data && <CoOrganizers event={existing.data} />}
    </>
  );
}

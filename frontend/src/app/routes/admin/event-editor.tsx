import { Link, useNavigate, useParams } from 'react-router-dom';

import { ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { useAdminEvent, useSaveEvent } from '@/features/admin/api/events';
import { EventForm } from '@/features/admin/components/event-form';

export function AdminEventEditorRoute() {
  const { eventId } = useParams();
  const navigate = useNavigate();
  const existing = useAdminEvent(eventId);
  const save = useSaveEvent(eventId);

  // Wait for a fresh read: the form starts from it, and sold seats bound the capacities.
  if (eventId && !existing.isError && !existing.isFetchedAfterMount) return <Spinner label="Loading the event" />;
  if (eventId && existing.isError) return <ErrorMessage error={existing.error} />;
  return (
    <div className="card">
      <p className="crumbs"><Link to="/admin">← Dashboard</Link></p>
      <h1>{eventId ? `Edit “${existing.data?.name}”` : 'New event'}</h1>
      <EventForm
        key={eventId ?? 'new'}
        event={existing.data}
        busy={save.isPending}
        error={save.error}
        onSubmit={(input) => save.mutate(input, { onSuccess: (saved) => navigate(`/events/${saved.id}`) })}
      />
    </div>
  );
}

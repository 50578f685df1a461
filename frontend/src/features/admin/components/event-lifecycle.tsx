import { useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm';
import { ErrorMessage, Notice } from '@/components/ui/feedback';
import { ReasonDialog } from '@/components/ui/reason-dialog';
import { eventTime } from '@/lib/format';
import { serverNow } from '@/lib/server-clock';
import type { LedgerEvent } from '@/types/api';

import { useCancelEvent, useCompleteEvent } from '../api/events';

/**
 * A draft never went on sale: nothing to complete, nobody to refund. Before its start it may be discarded (the API's
 * cancellation: it stays unlisted, and can no longer be published); after, there is nothing left to do with it.
 */
function DraftLifecycle({ event, started }: { event: LedgerEvent; started: boolean }) {
  const discard = useCancelEvent();
  const [asking, setAsking] = useState(false);
  if (started) return <Notice>This draft’s start has passed without it going on sale: there is nothing more to do.</Notice>;
  return (
    <div data-testid="draft-lifecycle">
      <p className="muted">Not on sale yet: publish it or schedule it when it is ready. A draft you no longer need can be discarded.</p>
      <div className="row">
        <button type="button" className="btn btn--ghost" disabled={discard.isPending} onClick={() => setAsking(true)}>Discard the draft</button>
      </div>
      <ConfirmDialog
        open={asking} title={`Discard “${event.name}”?`} confirmLabel="Discard it" cancelLabel="Keep the draft" focus="cancel"
        busy={discard.isPending}
        onCancel={() => { setAsking(false); discard.reset(); }}
        onConfirm={() => discard.mutate({ eventId: event.id }, { onSuccess: () => setAsking(false) })}
      >
        <p>It was never on sale, so nobody has tickets for it. It stays in your events, marked cancelled, and can no longer be published. This cannot be undone.</p>
        {discard.error ? <ErrorMessage error={discard.error} title="Not discarded" /> : null}
      </ConfirmDialog>
    </div>
  );
}

/**
 * Ending an event: complete it once it started (events also complete on their own after their
 * end), or cancel it (every booking refunded). For its organizer or an admin. A draft has its own.
 */
export function EventLifecycle({ event, admin, now = new Date(serverNow()) }: { event: LedgerEvent; admin: boolean; now?: Date }) {
  const complete = useCompleteEvent();
  const cancel = useCancelEvent();
  const [asking, setAsking] = useState<'complete' | 'cancel' | null>(null);
  const started = new Date(event.starts_at) <= now;
  if (event.status !== 'active') {
    return <Notice>This event is {event.status}: nothing more to do.</Notice>;
  }
  if (!event.published) return <DraftLifecycle event={event} started={started} />;
  return (
    <div>
      <p className="muted">
        {started
          ? `Started ${eventTime(event.starts_at, event.timezone)}. It completes on its own within a minute of its end; or complete it now.`
          : `Starts ${eventTime(event.starts_at, event.timezone)}: it can be completed once it has started.`}
      </p>
      <div className="row">
        <button type="button" className="btn" disabled={!started || complete.isPending} onClick={() => setAsking('complete')}>
          Complete the event
        </button>
        {(admin || !started) && (
          <button type="button" className="btn btn--danger" onClick={() => setAsking('cancel')}>Cancel the event</button>
        )}
      </div>
      {complete.isSuccess && <Notice tone="success">Completed.</Notice>}
      {complete.error && <ErrorMessage error={complete.error} title="Not completed" />}
      <ConfirmDialog
        open={asking === 'complete'} title={`Complete “${event.name}”?`} confirmLabel="Complete it" cancelLabel="Not now"
        busy={complete.isPending}
        onCancel={() => setAsking(null)}
        onConfirm={() => complete.mutate(event.id, { onSettled: () => setAsking(null) })}
      >
        <p>It stops selling and shows as ended. Its bookings stay as they are.</p>
      </ConfirmDialog>
      <ReasonDialog
        open={asking === 'cancel'} title={`Cancel “${event.name}”?`} confirmLabel="Cancel the event" required={admin && started}
        busy={cancel.isPending} error={cancel.error}
        onCancel={() => { setAsking(null); cancel.reset(); }}
        onConfirm={(reason) => cancel.mutate({ eventId: event.id, reason: reason || undefined }, { onSuccess: () => setAsking(null) })}
      >
        <p>Every booking on it is cancelled and refunded. This cannot be undone.</p>
      </ReasonDialog>
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { useState } from 'react';

import { Badge, ErrorMessage } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { eventTime, fromZonedInput } from '@/lib/format';
import type { LedgerEvent } from '@/types/api';

import { usePublishEvent, useSchedulePublication } from '../api/publish-event';

/** The "Draft" badge of an event not on sale yet. */
export function DraftBadge({ event }: { event: Pick<LedgerEvent, 'published'> }) {
  const { t } = useTranslation('events');
  return event.published ? null : <Badge tone="warning">{t('draft')}</Badge>;
}

/**
 * A draft's "Publish" button, for those who run it: it goes on sale, listed for everyone; or a time (in the venue's
 * zone) at which it goes on sale by itself, which can be withdrawn.
 */
export function PublishDraft({ event }: { event: LedgerEvent }) {
  const publish = usePublishEvent();
  const schedule = useSchedulePublication();
  const [at, setAt] = useState('');
  const [problem, setProblem] = useState<string>();
  const scheduleAt = () => {
    if (!at) { setProblem('Choose when it goes on sale.'); return; }
    setProblem(undefined);
    schedule.mutate({ eventId: event.id, publishAt: fromZonedInput(at, event.timezone) }, { onSuccess: () => setAt('') });
  };
  return (
    <div className="publish-draft" data-testid="publish-draft">
      <p className="muted">A draft: only its organizers and admins see it, and nothing is on sale until it is published.</p>
      {event.publish_at && (
        <p data-testid="publish-at">
          Goes on sale by itself on <strong>{eventTime(event.publish_at, event.timezone)}</strong>.{' '}
          <button type="button" className="link" disabled={schedule.isPending}
            onClick={() => schedule.mutate({ eventId: event.id, publishAt: null })}>Withdraw the schedule</button>
        </p>
      )}
      <div className="form form--inline">
        <button type="button" className="btn" disabled={publish.isPending} onClick={() => publish.mutate(event.id)}>
          {publish.isPending ? 'Publishing…' : 'Publish'}
        </button>
        <Field label="Or on sale at (venue time)" type="datetime-local" value={at} error={problem} onChange={(e) => setAt(e.target.value)} />
        <button type="button" className="btn btn--ghost" disabled={schedule.isPending} onClick={scheduleAt}>Schedule</button>
      </div>
      {publish.error ? <ErrorMessage error={publish.error} title="Not published" /> : null}
      {schedule.error ? <ErrorMessage error={schedule.error} title="Not scheduled" /> : null}
    </div>
  );
}

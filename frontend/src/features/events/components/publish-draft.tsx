import { Trans, useTranslation } from 'react-i18next';
import { useState } from 'react';

import { Badge, ErrorMessage } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { eventTime, fromZonedInput } from '@/lib/format';
import type { LedgerEvent } from '@/types/api';

import { usePublishEvent, useSchedulePublication } from '../api/publish-event';

/** The "Draft" badge of an event not on sale yet. */
export function DraftBadge({ event }: { event: Pick<LedgerEvent, 'published'> }) {
  const { t } = useTranslation('manage');
  return event.published ? null : <Badge tone="warning">{t('events:draft')}</Badge>;
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
  const { t } = useTranslation('manage');
  const scheduleAt = () => {
    if (!at) { setProblem(t('publish.chooseWhen')); return; }
    setProblem(undefined);
    schedule.mutate({ eventId: event.id, publishAt: fromZonedInput(at, event.timezone) }, { onSuccess: () => setAt('') });
  };
  return (
    <div className="publish-draft" data-testid="publish-draft">
      <p className="muted">{t('publish.about')}</p>
      {event.publish_at && (
        <p data-testid="publish-at">
          <Trans t={t} i18nKey="publish.scheduled" values={{ time: eventTime(event.publish_at, event.timezone) }}
            components={{ strong: <strong /> }} />{' '}
          <button type="button" className="link" disabled={schedule.isPending}
            onClick={() => schedule.mutate({ eventId: event.id, publishAt: null })}>{t('publish.withdraw')}</button>
        </p>
      )}
      <div className="form form--inline">
        <button type="button" className="btn" disabled={publish.isPending} onClick={() => publish.mutate(event.id)}>
          {publish.isPending ? t('publish.publishing') : t('publish.publish')}
        </button>
        <Field label={t('publish.at')} type="datetime-local" value={at} error={problem} onChange={(e) => setAt(e.target.value)} />
        <button type="button" className="btn btn--ghost" disabled={schedule.isPending} onClick={scheduleAt}>{t('publish.schedule')}</button>
      </div>
      {publish.error ? <ErrorMessage error={publish.error} title={t('publish.notPublished')} /> : null}
      {schedule.error ? <ErrorMessage error={schedule.error} title={t('publish.notScheduled')} /> : null}
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm';
import { ErrorMessage, Notice, statusWord } from '@/components/ui/feedback';
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
  const { t } = useTranslation('manage');
  if (started) return <Notice>{t('draft.passed')}</Notice>;
  return (
    <div data-testid="draft-lifecycle">
      <p className="muted">{t('draft.about')}</p>
      <div className="row">
        <button type="button" className="btn btn--ghost" disabled={discard.isPending} onClick={() => setAsking(true)}>{t('draft.discard')}</button>
      </div>
      <ConfirmDialog
        open={asking} title={t('draft.ask', { name: event.name })} confirmLabel={t('draft.confirm')} cancelLabel={t('draft.keep')} focus="cancel"
        busy={discard.isPending}
        onCancel={() => { setAsking(false); discard.reset(); }}
        onConfirm={() => discard.mutate({ eventId: event.id }, { onSuccess: () => setAsking(false) })}
      >
        <p>{t('draft.body')}</p>
        {discard.error ? <ErrorMessage error={discard.error} title={t('draft.notDiscarded')} /> : null}
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
  const { t } = useTranslation('manage');
  const started = new Date(event.starts_at) <= now;
  if (event.status !== 'active') {
    return <Notice>{t('lifecycle.over', { status: statusWord(event.status) })}</Notice>;
  }
  if (!event.published) return <DraftLifecycle event={event} started={started} />;
  return (
    <div>
      <p className="muted">
        {started
          ? t('lifecycle.started', { time: eventTime(event.starts_at, event.timezone) })
          : t('lifecycle.starts', { time: eventTime(event.starts_at, event.timezone) })}
      </p>
      <div className="row">
        <button type="button" className="btn" disabled={!started || complete.isPending} onClick={() => setAsking('complete')}>
          {t('lifecycle.complete')}
        </button>
        {(admin || !started) && (
          <button type="button" className="btn btn--danger" onClick={() => setAsking('cancel')}>{t('lifecycle.cancel')}</button>
        )}
      </div>
      {complete.isSuccess && <Notice tone="success">{t('lifecycle.completed')}</Notice>}
      {complete.error && <ErrorMessage error={complete.error} title={t('lifecycle.notCompleted')} />}
      <ConfirmDialog
        open={asking === 'complete'} title={t('lifecycle.completeAsk', { name: event.name })} confirmLabel={t('lifecycle.completeConfirm')} cancelLabel={t('lifecycle.notNow')}
        busy={complete.isPending}
        onCancel={() => setAsking(null)}
        onConfirm={() => complete.mutate(event.id, { onSettled: () => setAsking(null) })}
      >
        <p>{t('lifecycle.completeBody')}</p>
      </ConfirmDialog>
      <ReasonDialog
        open={asking === 'cancel'} title={t('lifecycle.cancelAsk', { name: event.name })} confirmLabel={t('lifecycle.cancel')} required={admin && started}
        busy={cancel.isPending} error={cancel.error}
        onCancel={() => { setAsking(null); cancel.reset(); }}
        onConfirm={(reason) => cancel.mutate({ eventId: event.id, reason: reason || undefined }, { onSuccess: () => setAsking(null) })}
      >
        <p>{t('lifecycle.cancelBody')}</p>
      </ReasonDialog>
    </div>
  );
}

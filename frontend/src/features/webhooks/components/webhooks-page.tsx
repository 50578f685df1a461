import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';

import { ConfirmDialog } from '@/components/ui/confirm';
import { Empty, ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { dateTime } from '@/lib/format';

import type { WebhookCreated } from '../api/create-webhook';
import { useDeleteWebhook } from '../api/delete-webhook';
import { useRunnableEvents } from '../api/get-runnable-events';
import { useWebhooks, type Webhook } from '../api/get-webhooks';
import { DeliveryLog } from './delivery-log';
import { SecretOnce } from './secret-once';
import { WebhookForm } from './webhook-form';
import { WebhookStatusBadge, WebhookStatusWhy } from './webhook-status';

/** Every error code this page can be answered with: each has its sentence (webhooks-page.test.tsx checks). */
export const WEBHOOK_PAGE_ERRORS = [
  'WEBHOOK_NOT_FOUND', 'WEBHOOK_EVENT_TYPE_UNKNOWN', 'WEBHOOK_URL_INVALID', 'WEBHOOK_ADDRESS_REFUSED',
  'WEBHOOK_EVENT_REQUIRED', 'WEBHOOK_SUSPENDED', 'TOO_MANY_WEBHOOKS', 'TOO_MANY_REPLAYS', 'NOT_EVENT_ORGANIZER',
  'EVENT_NOT_FOUND', 'FORBIDDEN', 'NOT_AUTHENTICATED', 'VALIDATION_ERROR', 'MALFORMED_JSON', 'INVALID_CURSOR',
  'POSITION_BEYOND_HEAD', 'TOO_MANY_WAITERS', 'TOO_MANY_REQUESTS', 'INTERNAL_ERROR', 'NETWORK_ERROR',
] as const;

function WebhookCard({ webhook: w, eventName, onDelete }: { webhook: Webhook; eventName?: string; onDelete: () => void }) {
  const { t } = useTranslation('webhooks');
  const [open, setOpen] = useState(false);
  const scope = !w.event_id ? t('card.forEveryEvent') : eventName ? t('card.forEvent', { event: eventName }) : t('card.forOneEvent');
  return (
    <li className="card webhook" data-testid="webhook">
      <div className="booking__head">
        <div>
          <h3 className="webhook__url"><code>{w.url}</code></h3>
          <p className="muted">
            {scope} · {t('card.registered', { time: dateTime(w.created_at) })}{w.description ? ` · ${w.description}` : ''}
          </p>
        </div>
        <WebhookStatusBadge webhook={w} />
      </div>
      <WebhookStatusWhy webhook={w} />
      <ul className="webhook__types" aria-label={t('card.types')} data-testid="webhook-types">
        {w.event_types.map((t) => <li key={t}><code>{t}</code></li>)}
      </ul>
      <div className="row">
        <button type="button" className="btn btn--ghost btn--small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? t('card.hideDeliveries') : t('card.deliveries')}
        </button>
        {w.active && <button type="button" className="btn btn--danger btn--small" onClick={onDelete}>{t('card.delete')}</button>}
      </div>
      {open && <DeliveryLog webhook={w} />}
    </li>
  );
}

/** An organizer's or admin's webhooks: register one (its secret shown once), each one's status, delivery log and replay. */
export function WebhooksPage() {
  const { t } = useTranslation('webhooks');
  const webhooks = useWebhooks();
  const events = useRunnableEvents();
  const remove = useDeleteWebhook();
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const items = webhooks.data?.pages.flatMap((p) => p.items) ?? [];
  const names = Object.fromEntries((events.data ?? []).map((e) => [e.id, e.name]));

  return (
    <>
      <section className="card" aria-labelledby="register-title">
        <h2 id="register-title">{t('register.title')}</h2>
        <p className="muted">{t('register.about')}</p>
        {created ? <SecretOnce created={created} onDone={() => setCreated(null)} /> : <WebhookForm onCreated={setCreated} />}
      </section>
      <section aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">{t('list.title')}</h2>
        {webhooks.isPending && <Spinner label={t('list.loading')} />}
        {webhooks.isError && <ErrorMessage error={webhooks.error} onRetry={() => void webhooks.refetch()} />}
        {webhooks.isSuccess && items.length === 0 && (
          <Empty title={t('list.none')}><p className="muted">{t('list.noneHint')}</p></Empty>
        )}
        {remove.error && <ErrorMessage error={remove.error} title={t('list.notDeleted')} />}
        <ul className="booking-list" aria-label={t('list.label')}>
          {items.map((w) => <WebhookCard key={w.id} webhook={w} eventName={w.event_id ? names[w.event_id] : undefined} onDelete={() => setDeleting(w)} />)}
        </ul>
        {webhooks.hasNextPage && (
          <div className="center">
            <button type="button" className="btn btn--ghost" onClick={() => void webhooks.fetchNextPage()}>{t('list.more')}</button>
          </div>
        )}
      </section>
      <ConfirmDialog
        open={!!deleting}
        title={t('delete.ask')}
        confirmLabel={t('delete.confirm')}
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate(deleting.id, { onSettled: () => setDeleting(null) })}
      >
        {deleting && <p><Trans t={t} i18nKey="delete.body" values={{ url: deleting.url }} components={{ code: <code /> }} /></p>}
      </ConfirmDialog>
    </>
  );
}

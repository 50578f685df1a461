import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { Badge, Empty, ErrorMessage, Notice } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { dateTime } from '@/lib/format';
import { i18n } from '@/lib/i18n';

import { useDeliveries, type Delivery } from '../api/get-deliveries';
import type { Webhook } from '../api/get-webhooks';
import { useReplayWebhook } from '../api/replay-webhook';

const TONES: Record<Delivery['status'], string> = { delivered: 'green', pending: 'amber', failed: 'red' };

/** The receiver's last answer, in words: its HTTP status, else why no answer came (the sender's words, English). */
function answerOf(d: Delivery): string {
  if (d.last_status_code !== null) return `HTTP ${d.last_status_code}`;
  return d.last_error ?? (d.attempts === 0 ? i18n.t('webhooks:log.notSent') : '—');
}

/** When it was delivered, else when the next attempt is due, else when it was made. */
function timeOf(d: Delivery): string {
  if (d.delivered_at) return i18n.t('webhooks:log.delivered', { time: dateTime(d.delivered_at) });
  if (d.status === 'pending' && d.next_attempt_at) return i18n.t('webhooks:log.nextAttempt', { time: dateTime(d.next_attempt_at) });
  return i18n.t('webhooks:log.made', { time: dateTime(d.created_at) });
}

/** Send the deliveries at a log position and after again, in order; says how many went back in line. */
function ReplayForm({ webhook, suggested }: { webhook: Webhook; suggested?: number }) {
  const { t } = useTranslation('webhooks');
  const replay = useReplayWebhook();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | undefined>();
  const value = typed || (suggested !== undefined ? String(suggested) : '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const position = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(position)) {
      setError(t('replay.invalid'));
      return;
    }
    setError(undefined);
    replay.mutate({ webhookId: webhook.id, fromPosition: position });
  };
  if (!webhook.active) return null;
  return (
    <form className="form form--inline" onSubmit={submit} noValidate aria-label={t('replay.label')}>
      <Field label={t('replay.from')} inputMode="numeric" value={value} error={error}
        hint={t('replay.hint')}
        onChange={(e) => setTyped(e.target.value)} />
      <button type="submit" className="btn btn--small" disabled={replay.isPending || webhook.suspended}>
        {replay.isPending ? t('replay.replaying') : t('replay.button')}
      </button>
      {replay.error && <ErrorMessage error={replay.error} title={t('replay.failed')} />}
      {replay.data && (
        <Notice tone="success">
          {replay.data.replayed === 0
            ? t('replay.nothing', { position: replay.variables.fromPosition })
            : t('replay.done', { count: replay.data.replayed, position: replay.variables.fromPosition })}
        </Notice>
      )}
    </form>
  );
}

/** An endpoint's delivery log (latest position first) and its replay. */
export function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const { t } = useTranslation('webhooks');
  const deliveries = useDeliveries(webhook.id);
  const items = deliveries.data?.pages.flatMap((p) => p.items) ?? [];
  // A replay mends an outage from its first failed delivery: the oldest failed one loaded.
  const firstFailed = items.filter((d) => d.status === 'failed').at(-1)?.position;
  return (
    <div className="delivery-log" data-testid="delivery-log">
      <ReplayForm webhook={webhook} suggested={firstFailed} />
      {deliveries.isPending && <Spinner label={t('log.loading')} />}
      {deliveries.isError && <ErrorMessage error={deliveries.error} onRetry={() => void deliveries.refetch()} />}
      {deliveries.isSuccess && items.length === 0 && (
        <Empty title={t('log.none')}><p className="muted">{t('log.noneHint')}</p></Empty>
      )}
      {items.length > 0 && (
        <TableWrap label={t('log.table')}>
          <table className="table" aria-label={t('log.table')}>
            <thead>
              <tr>
                <th scope="col" className="num">{t('log.position')}</th><th scope="col">{t('log.type')}</th><th scope="col">{t('log.status')}</th>
                <th scope="col" className="num">{t('log.attempts')}</th><th scope="col">{t('log.answer')}</th><th scope="col">{t('log.time')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <td className="num">{d.position}</td>
                  <td><code>{d.event_type}</code></td>
                  <td><Badge tone={TONES[d.status]}>{t(`delivery.${d.status}`)}</Badge></td>
                  <td className="num">{d.attempts}</td>
                  <td>{answerOf(d)}</td>
                  <td className="nowrap">{timeOf(d)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {deliveries.hasNextPage && (
        <button type="button" className="btn btn--ghost btn--small" disabled={deliveries.isFetchingNextPage}
          onClick={() => void deliveries.fetchNextPage()}>{t('log.older')}</button>
      )}
    </div>
  );
}

import { useState, type FormEvent } from 'react';

import { Badge, Empty, ErrorMessage, Notice } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { dateTime } from '@/lib/format';

import { useDeliveries, type Delivery } from '../api/get-deliveries';
import type { Webhook } from '../api/get-webhooks';
import { useReplayWebhook } from '../api/replay-webhook';

const TONES: Record<Delivery['status'], string> = { delivered: 'green', pending: 'amber', failed: 'red' };

/** The receiver's last answer, in words: its HTTP status, else why no answer came. */
function answerOf(d: Delivery): string {
  if (d.last_status_code !== null) return `HTTP ${d.last_status_code}`;
  return d.last_error ?? (d.attempts === 0 ? 'not sent yet' : '—');
}

/** When it was delivered, else when the next attempt is due, else when it was made. */
function timeOf(d: Delivery): string {
  if (d.delivered_at) return `delivered ${dateTime(d.delivered_at)}`;
  if (d.status === 'pending' && d.next_attempt_at) return `next attempt ${dateTime(d.next_attempt_at)}`;
  return `made ${dateTime(d.created_at)}`;
}

/** Send the deliveries at a log position and after again, in order; says how many went back in line. */
function ReplayForm({ webhook, suggested }: { webhook: Webhook; suggested?: number }) {
  const replay = useReplayWebhook();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | undefined>();
  const value = typed || (suggested !== undefined ? String(suggested) : '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const position = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(position)) {
      setError('A log position: a whole number, 0 or more');
      return;
    }
    setError(undefined);
    replay.mutate({ webhookId: webhook.id, fromPosition: position });
  };
  if (!webhook.active) return null;
  return (
    <form className="form form--inline" onSubmit={submit} noValidate aria-label="Replay deliveries">
      <Field label="Replay from log position" inputMode="numeric" value={value} error={error}
        hint="Deliveries at this position and after are sent again, in order."
        onChange={(e) => setTyped(e.target.value)} />
      <button type="submit" className="btn btn--small" disabled={replay.isPending || webhook.suspended}>
        {replay.isPending ? 'Replaying…' : 'Replay'}
      </button>
      {replay.error && <ErrorMessage error={replay.error} title="Not replayed" />}
      {replay.data && (
        <Notice tone="success">
          {replay.data.replayed === 0
            ? `No delivery at position ${replay.variables.fromPosition} or after: nothing to send again.`
            : `${replay.data.replayed === 1 ? '1 delivery goes' : `${replay.data.replayed} deliveries go`} out again, in order, from position ${replay.variables.fromPosition}.`}
        </Notice>
      )}
    </form>
  );
}

/** An endpoint's delivery log (latest position first) and its replay. */
export function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const deliveries = useDeliveries(webhook.id);
  const items = deliveries.data?.pages.flatMap((p) => p.items) ?? [];
  // A replay mends an outage from its first failed delivery: the oldest failed one loaded.
  const firstFailed = items.filter((d) => d.status === 'failed').at(-1)?.position;
  return (
    <div className="delivery-log" data-testid="delivery-log">
      <ReplayForm webhook={webhook} suggested={firstFailed} />
      {deliveries.isPending && <Spinner label="Reading the delivery log" />}
      {deliveries.isError && <ErrorMessage error={deliveries.error} onRetry={() => void deliveries.refetch()} />}
      {deliveries.isSuccess && items.length === 0 && (
        <Empty title="Nothing delivered yet"><p className="muted">Each event of the types it takes shows up here once it is recorded.</p></Empty>
      )}
      {items.length > 0 && (
        <TableWrap label="Deliveries">
          <table className="table" aria-label="Deliveries">
            <thead>
              <tr>
                <th scope="col" className="num">Position</th><th scope="col">Event type</th><th scope="col">Status</th>
                <th scope="col" className="num">Attempts</th><th scope="col">Answer</th><th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <td className="num">{d.position}</td>
                  <td><code>{d.event_type}</code></td>
                  <td><Badge tone={TONES[d.status]}>{d.status}</Badge></td>
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
          onClick={() => void deliveries.fetchNextPage()}>Older deliveries</button>
      )}
    </div>
  );
}

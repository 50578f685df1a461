import { Badge } from '@/components/ui/feedback';
import { dateTime } from '@/lib/format';

import type { Webhook } from '../api/get-webhooks';

export type WebhookStatus = 'deleted' | 'suspended' | 'disabled' | 'failing' | 'active';

/** What stands between an endpoint and its deliveries, the most binding first. */
export function statusOf(w: Webhook): WebhookStatus {
  if (!w.active) return 'deleted';
  if (w.suspended) return 'suspended';
  if (w.disabled_at) return 'disabled';
  if (w.failing_since) return 'failing';
  return 'active';
}

const TONES: Record<WebhookStatus, string> = { deleted: 'neutral', suspended: 'amber', disabled: 'red', failing: 'amber', active: 'green' };

export function WebhookStatusBadge({ webhook }: { webhook: Webhook }) {
  const status = statusOf(webhook);
  return <Badge tone={TONES[status]}>{status}</Badge>;
}

/** Why, in words, when something stops or slows the endpoint's deliveries (nothing for an active one). */
export function WebhookStatusWhy({ webhook: w }: { webhook: Webhook }) {
  const status = statusOf(w);
  let why: string | null = null;
  if (status === 'deleted') why = 'Deleted: nothing more is sent to it; its delivery log stays readable.';
  if (status === 'suspended') why = `Suspended: nothing is sent while its owner lacks the rights it needs${w.suspended_reason ? ` (${w.suspended_reason})` : ''}.`;
  if (status === 'disabled') why = `Disabled ${dateTime(w.disabled_at)}${w.disabled_reason ? `: ${w.disabled_reason}` : ''}. A replay enables it again.`;
  if (status === 'failing') why = `Every attempt has failed since ${dateTime(w.failing_since)}: retries back off until the receiver answers.`;
  return why ? <p className={status === 'deleted' ? 'muted' : 'cancel-note'} data-testid="webhook-status-why">{why}</p> : null;
}

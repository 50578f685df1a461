import { useTranslation } from 'react-i18next';

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
  const { t } = useTranslation('webhooks');
  const status = statusOf(webhook);
  return <Badge tone={TONES[status]}>{t(`status.${status}`)}</Badge>;
}

/** Why, in words, when something stops or slows the endpoint's deliveries (nothing for an active one). */
export function WebhookStatusWhy({ webhook: w }: { webhook: Webhook }) {
  const { t } = useTranslation('webhooks');
  const status = statusOf(w);
  let why: string | null = null;
  if (status === 'deleted') why = t('why.deleted');
  if (status === 'suspended') why = w.suspended_reason ? t('why.suspendedBecause', { reason: w.suspended_reason }) : t('why.suspended');
  if (status === 'disabled') {
    const time = dateTime(w.disabled_at);
    why = w.disabled_reason ? t('why.disabledBecause', { time, reason: w.disabled_reason }) : t('why.disabled', { time });
  }
  if (status === 'failing') why = t('why.failing', { time: dateTime(w.failing_since) });
  return why ? <p className={status === 'deleted' ? 'muted' : 'cancel-note'} data-testid="webhook-status-why">{why}</p> : null;
}

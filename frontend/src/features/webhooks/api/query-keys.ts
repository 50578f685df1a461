import { ROOT } from '@/lib/react-query';

/** Every query key of the webhooks feature (under the admin root: the organizers' and admins' workspace). */
export const webhookKeys = {
  all: [ROOT.admin, 'webhooks'] as const,
  list: () => [ROOT.admin, 'webhooks', 'list'] as const,
  eventTypes: () => [ROOT.admin, 'webhooks', 'event-types'] as const,
  events: () => [ROOT.admin, 'webhooks', 'events'] as const,
  deliveries: (webhookId: string) => [ROOT.admin, 'webhooks', 'deliveries', webhookId] as const,
};

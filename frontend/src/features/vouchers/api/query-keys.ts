import { ROOT } from '@/lib/react-query';

/** Every query key of the vouchers feature: under the admin root, which an organizer's changes invalidate. */
export const voucherKeys = {
  all: [ROOT.admin, 'vouchers'] as const,
  list: (eventId: string) => [ROOT.admin, 'vouchers', eventId] as const,
};

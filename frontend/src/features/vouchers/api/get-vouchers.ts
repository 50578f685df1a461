import { useInfiniteQuery } from '@tanstack/react-query';

import { cursorPages } from '@/lib/cursor-pages';
import type { Schemas } from '@/types/api';

import { voucherKeys } from './query-keys';

export type VoucherPage = Schemas['VoucherPage'];

export const VOUCHERS_PAGE = 25;

/** An event's vouchers, the last made first, each with what it sold (its organizers and admins). */
export const useVouchers = (eventId: string) =>
  useInfiniteQuery(cursorPages<VoucherPage>(voucherKeys.list(eventId), `/events/${eventId}/vouchers`, VOUCHERS_PAGE));

import type { Schemas } from '@/types/api';

import { eventTime, money } from './format';
import { formattingLocale, i18n } from './i18n';

export type Voucher = Schemas['VoucherOut'];
export type Discount = Voucher['discount'];

/** A percentage as people write it: "20", "12.5" (never "20.00"). */
function percent(value: string | number): string {
  return new Intl.NumberFormat(formattingLocale(), { maximumFractionDigits: 2 }).format(Number(value));
}

/** What a voucher does to a ticket's price, in words: "20 % off", "€5.00 off", "€0.00: free", "set price €7.00". */
export function discountWords(v: Pick<Voucher, 'discount' | 'value'>, currency?: string): string {
  switch (v.discount) {
    case 'percent': return i18n.t(Number(v.value) >= 100 ? 'vouchers:words.percentFree' : 'vouchers:words.percent', { percent: percent(v.value) });
    case 'amount_off': return i18n.t('vouchers:words.amountOff', { amount: money(v.value, currency) });
    default: return Number(v.value) === 0 ? i18n.t('vouchers:words.free', { amount: money(0, currency) })
      : i18n.t('vouchers:words.setPrice', { amount: money(v.value, currency) });
  }
}

/** How much of a voucher was used, counted in seats: "3 of 10 seats used". */
export function usesWords(v: Pick<Voucher, 'redeemed' | 'max_uses'>): string {
  return i18n.t('vouchers:words.uses', { count: v.max_uses, redeemed: v.redeemed });
}

/** When a voucher may be used, in the venue's time: "Any time", "Until Sat 1 Mar, 00:00 GMT", "From … until …". */
export function validityWords(v: Pick<Voucher, 'valid_from' | 'valid_until'>, zone: string, reader?: string, locale?: string): string {
  const at = (iso: string) => eventTime(iso, zone, reader, locale);
  if (v.valid_from && v.valid_until) return i18n.t('vouchers:words.fromUntil', { from: at(v.valid_from), until: at(v.valid_until) });
  if (v.valid_from) return i18n.t('vouchers:words.from', { from: at(v.valid_from) });
  if (v.valid_until) return i18n.t('vouchers:words.until', { until: at(v.valid_until) });
  return i18n.t('vouchers:words.anyTime');
}

/** The categories a voucher applies to, in words ("All categories" when it names none). */
export function categoriesWords(v: Pick<Voucher, 'categories'>): string {
  return v.categories && v.categories.length > 0 ? v.categories.join(', ') : i18n.t('vouchers:words.allCategories');
}

export type VoucherState = 'active' | 'disabled' | 'used up' | 'expired' | 'not yet valid';

/** Whether buyers may use a voucher now, and if not, why (`now`: ms since the epoch, by the server's clock). */
export function voucherState(v: Pick<Voucher, 'disabled' | 'redeemed' | 'max_uses' | 'valid_from' | 'valid_until'>, now: number): VoucherState {
  if (v.disabled) return 'disabled';
  if (v.redeemed >= v.max_uses) return 'used up';
  if (v.valid_until && Date.parse(v.valid_until) <= now) return 'expired';
  if (v.valid_from && Date.parse(v.valid_from) > now) return 'not yet valid';
  return 'active';
}

import { fromZonedInput, money } from '@/lib/format';
import { i18n } from '@/lib/i18n';
import type { Discount } from '@/lib/vouchers';
import type { LedgerEvent } from '@/types/api';

import type { VoucherIn } from '../api/create-vouchers';

/** One voucher by the code the organizer types, or a batch of random codes after a prefix. */
export type VoucherMode = 'code' | 'batch';

// What the inputs hold, text before it is checked: toVoucherIn() turns it into the API's VoucherIn.
export interface VoucherValues {
  mode: VoucherMode; code: string; count: string; prefix: string;
  discount: Discount; value: string; maxUses: string;
  /** datetime-local values, read in the venue's time zone. */
  validFrom: string; validUntil: string;
  /** The categories it applies to, by name; none: every one. */
  categories: string[];
  label: string;
  /** Keep its uses' seats of its one category off general sale for its holders (until used or disabled). */
  reserve: boolean;
}

export const NEW_VOUCHER: VoucherValues = {
  mode: 'code', code: '', count: '10', prefix: '', discount: 'percent', value: '', maxUses: '1',
  validFrom: '', validUntil: '', categories: [], label: '', reserve: false,
};

// The API's bounds (query_api/schemas/vouchers.py, commands/domain/vouchers.py).
export const MAX_BATCH = 1000;
export const MAX_USES = 100_000;
export const LABEL_LENGTH = 80;
const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{3,31}$/;
const PREFIX = /^[A-Za-z0-9_-]{0,12}$/;
const AMOUNT = /^\d+(\.\d{1,2})?$/;
const WHOLE = /^\d+$/;

const cents = (amount: string | number) => Math.round(Number(amount) * 100);

/** The moment a datetime-local value names in the venue's zone, in ms (NaN when it names none). */
function zoned(value: string, zone: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return NaN;
  try {
    return Date.parse(fromZonedInput(value, zone));
  } catch {
    return NaN;
  }
}

/** What the form checks a voucher against: the event's zone (its times), categories and currency. */
export type VoucherEvent = Pick<LedgerEvent, 'timezone' | 'categories' | 'currency'>;

const say = (key: string, values?: Record<string, unknown>) => i18n.t(`vouchers:errors.${key}`, values);

function valueError(v: VoucherValues, { categories, currency }: VoucherEvent): string | undefined {
  const value = v.value.trim();
  if (v.discount === 'percent') {
    return AMOUNT.test(value) && Number(value) > 0 && Number(value) <= 100 ? undefined : say('percent');
  }
  if (!AMOUNT.test(value)) return v.discount === 'set_price' ? say('price') : say('amount');
  if (v.discount === 'amount_off') {
    if (Number(value) === 0) return say('amountZero');
    const applies = v.categories.length ? categories.filter((c) => v.categories.includes(c.name)) : categories;
    const cheapest = applies.reduce((low, c) => Math.min(low, cents(c.price)), Infinity);
    if (cents(value) > cheapest) return say('amountAbove', { amount: money(cheapest / 100, currency) });
  }
  return undefined;
}

/** Field errors (the form's keys); empty when the voucher can be sent. `now`: ms, by the server's clock. */
export function validateVoucher(v: VoucherValues, event: VoucherEvent, now: number): Record<string, string> {
  const errors: Record<string, string> = {};
  if (v.mode === 'code' && !CODE.test(v.code.trim())) errors.code = say('code');
  if (v.mode === 'batch') {
    if (!WHOLE.test(v.count.trim()) || Number(v.count) < 1 || Number(v.count) > MAX_BATCH) errors.count = say('whole', { max: MAX_BATCH });
    if (!PREFIX.test(v.prefix.trim())) errors.prefix = say('prefix');
  }
  const value = valueError(v, event);
  if (value) errors.value = value;
  if (!WHOLE.test(v.maxUses.trim()) || Number(v.maxUses) < 1 || Number(v.maxUses) > MAX_USES) {
    errors.maxUses = say('whole', { max: MAX_USES });
  }
  const from = zoned(v.validFrom, event.timezone);
  const until = zoned(v.validUntil, event.timezone);
  if (v.validFrom && Number.isNaN(from)) errors.validFrom = say('dateTime');
  if (v.validUntil && Number.isNaN(until)) errors.validUntil = say('dateTime');
  else if (v.validUntil && until <= now) errors.validUntil = say('endPast');
  else if (v.validUntil && !Number.isNaN(from) && until <= from) errors.validUntil = say('endBeforeStart');
  if (v.label.trim().length > LABEL_LENGTH) errors.label = say('label', { count: LABEL_LENGTH });
  if (v.reserve && v.categories.length !== 1) errors.categories = say('reserveCategory');
  else if (v.reserve && v.validUntil) errors.validUntil = say('reserveEnd');
  return errors;
}

/** The API's body: one `code`, or `count` random codes after `prefix`, on the same terms. */
export function toVoucherIn(v: VoucherValues, zone: string): VoucherIn {
  const made = v.mode === 'code' ? { code: v.code.trim(), prefix: '' } : { count: Number(v.count), prefix: v.prefix.trim() };
  return {
    ...made,
    discount: v.discount, value: v.value.trim(), max_uses: Number(v.maxUses),
    valid_from: v.validFrom ? fromZonedInput(v.validFrom, zone) : null,
    valid_until: v.validUntil ? fromZonedInput(v.validUntil, zone) : null,
    categories: v.categories.length ? v.categories : null,
    label: v.label.trim() || null,
    reserve: v.reserve,
  };
}

// VoucherIn's fields as the form names them.
const FORM_KEYS: Record<string, string> = {
  code: 'code', count: 'count', prefix: 'prefix', discount: 'discount', value: 'value', max_uses: 'maxUses',
  valid_from: 'validFrom', valid_until: 'validUntil', categories: 'categories', label: 'label',
};

/** The form's key for a path into the API's body: a refused code (`code`, or `codes.0` of a list) is the code
 * field's when one was typed; a category (`categories.1`), the categories'. */
export function voucherFormKey(path: string, mode: VoucherMode): string | undefined {
  const [field] = path.split('.');
  if (field === 'code' || field === 'codes') return mode === 'code' ? 'code' : undefined;
  return FORM_KEYS[field];
}

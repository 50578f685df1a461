import type { ApiError } from './api-client';
import { dateTime } from './format';
import { currentLanguage, i18n, SOURCE_LANGUAGE } from './i18n';
import english from '../locales/en/errors.json';

/**
 * What each error code means to a person, in a sentence: the `errors` catalogue's `codes`, one per language
 * (locales/{language}/errors.json). Every code of the API's registry (core/error_codes.py) has one, which
 * error-sentences.test.ts checks against that file, plus the codes this UI makes up itself when no API body answers
 * (api-client's normaliseError and readBehind). This record is the English source.
 */
export const ERROR_SENTENCES: Readonly<Record<string, string>> = english.codes;

// Errors whose message names the particulars in words meant for a person: the API's refusals
// naming the category, the seats left, the limit, the longest period or the head's size, the
// payment provider's reason for a decline, and the UI's own errors (a card refused by the payment
// form). That says more than the sentence; what to do next (the catalogue's nextSteps) follows it.
const SAID_IN_THE_MESSAGE = new Set([
  'UNKNOWN', 'SOLD_OUT', 'NOT_ENOUGH_SEATS', 'USER_LIMIT_EXCEEDED', 'UNKNOWN_CATEGORY', 'LIMIT_BELOW_HELD',
  'CAPACITY_BELOW_SOLD', 'PAYMENT_DECLINED', 'PERIOD_INVALID', 'LEAF_AFTER_HEAD',
  'VOUCHER_EXHAUSTED', 'INVALID_VOUCHER', 'INVALID_TAX', 'INVALID_SELLER', 'INVALID_BUYER',
]);

// What a buyer can do next, said after a message that names the particulars: the catalogue's `nextSteps`.
const hasNextStep = (code: string) => Object.hasOwn(english.nextSteps, code);

// Errors this UI makes itself, whose message is already in the reader's language (a card payment's own error).
const UI_MADE = new Set(['UNKNOWN']);

// A message that already tells the reader what to try instead.
const SAYS_WHAT_TO_DO = /\b(try|choose|use|pick)\b[^.]*\b(another|a different|other|again)\b/i;
// The API wraps a provider's reason for a decline in its own words ("The payment was declined: Your card was
// declined."): the reason alone says it once.
const DECLINED_PREFIX = /^the payment was declined:\s*/i;

/** A message with its own particulars, said once, then what to do next where it does not say so itself. */
function withNextStep(code: string, message: string): string {
  if (!hasNextStep(code)) return message;
  const step = i18n.t(`errors:nextSteps.${code}`);
  let said = message.trim();
  if (code === 'PAYMENT_DECLINED' && DECLINED_PREFIX.test(said)) said = said.replace(DECLINED_PREFIX, '');
  said = said.charAt(0).toUpperCase() + said.slice(1);
  if (!/[.!?]$/.test(said)) said = `${said}.`;
  return SAYS_WHAT_TO_DO.test(said) ? said : `${said} ${step}`;
}

// Conflicts that end by themselves (a run or refund finishing, the next signed head, a hold's
// cool-down, an event being created): asking again later can succeed.
const TRANSIENT = new Set([
  'CONFLICT', 'EVENT_NOT_YET_CREATED', 'HOLD_TOO_SOON', 'REFUND_IN_PROGRESS', 'VERIFY_RUNNING',
  'RECONCILIATION_RUNNING', 'LEAF_NOT_YET_IN_TREE', 'PROOF_NOT_YET_SIGNED', 'REBUILD_IN_PROGRESS',
]);

function isBareCode(text: string): boolean {
  return /^[A-Z0-9_]+$/.test(text.trim());
}

/** The error in a sentence for a person: never a bare code. */
export function errorSentence(error: ApiError): string {
  const until = error.facts?.may_hold_again_at;
  if (error.code === 'HOLD_TOO_SOON' && typeof until === 'string') {
    return i18n.t('errors:holdTooSoonUntil', { time: dateTime(until) });
  }
  const usable = error.message && !isBareCode(error.message) ? error.message : undefined;
  // The API words its particulars in English: in another language, the catalogue's sentence says it instead.
  const particulars = SAID_IN_THE_MESSAGE.has(error.code) && usable;
  if (particulars && (currentLanguage() === SOURCE_LANGUAGE || UI_MADE.has(error.code))) return withNextStep(error.code, usable);
  if (Object.hasOwn(ERROR_SENTENCES, error.code)) return i18n.t(`errors:codes.${error.code}`);
  if (particulars) return withNextStep(error.code, usable);
  // A code this UI does not know yet (a newer server) or a bare HTTP status from a proxy.
  if (usable && error.status > 0 && error.status < 500) return usable;
  if (error.status >= 500) return i18n.t('errors:server');
  return usable ?? i18n.t('errors:refused');
}

/** Whether asking again, unchanged, can succeed: no answer, the server's trouble, or a passing conflict. */
export function canRetry(error: ApiError): boolean {
  if (error.code === 'NETWORK_ERROR' || error.status === 0) return true;
  return error.status >= 500 || TRANSIENT.has(error.code);
}

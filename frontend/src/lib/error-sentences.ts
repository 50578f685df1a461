import type { ApiError } from './api-client';
import { dateTime } from './format';

/**
 * What each error code means to a person, in a sentence. Every code of the API's registry
 * (core/error_codes.py) has one, which error-sentences.test.ts checks against that file, plus the
 * codes this UI makes up itself when no API body answers (api-client's normaliseError and readBehind).
 */
export const ERROR_SENTENCES: Readonly<Record<string, string>> = {
  // The UI's own: no answer, or an answer without the API's error body.
  NETWORK_ERROR: 'Cannot reach the server. Check your connection and try again.',
  UNKNOWN: 'Something went wrong in this page.',
  PROJECTION_BEHIND: 'This page is still catching up with your last change. Try again in a moment.',

  // Refusals of the domain.
  DOMAIN_ERROR: 'This cannot be done as asked.',
  RULE_BROKEN: 'This would break one of the event’s rules, so it was not done.',
  NOT_FOUND: 'This does not exist on this server.',
  FORBIDDEN: 'Your account may not do this.',
  CONFLICT: 'Something changed at the same moment, so this was not done.',
  BUSY: 'The server is busy right now. Try again in a moment.',
  EVENT_NOT_FOUND: 'There is no such event: the link may be wrong, or the event was removed. Look for it in the list of events.',
  EVENT_NOT_YET_CREATED: 'This event is still being created. Try again in a moment.',
  BOOKING_NOT_FOUND: 'There is no such booking. Your own are listed in My bookings.',
  TICKET_NOT_FOUND: 'There is no ticket with that code.',
  CO_ORGANIZER_NOT_FOUND: 'That person is not a co-organizer of this event.',
  INVITATION_NOT_FOUND: 'There is no such invitation: it may have been withdrawn or answered already.',
  HOLD_NOT_FOUND: 'There is no such hold: it may have ended already.',
  PLACE_NOT_FOUND: 'There is no such place in the waiting line.',
  NOT_EVENT_ORGANIZER: 'Only the event’s organizers may do this.',
  NOT_EVENT_OWNER: 'Only the event’s own organizer or an admin may do this.',
  INVALID_EVENT: 'The event’s details are not valid: check the fields.',
  STARTS_IN_PAST: 'The start must be in the future.',
  INVALID_CATEGORY: 'Each ticket category needs a name, different from the others.',
  INVALID_PRICE: 'A price is 0 or more, with at most 2 decimals.',
  INVALID_CAPACITY: 'A ticket category needs at least one seat.',
  LIMIT_BELOW_HELD: 'The limit per person cannot go below what someone holds already.',
  CAPACITY_BELOW_SOLD: 'A category’s capacity cannot go below the seats sold or held in it.',
  CATEGORY_REQUIRED: 'This event has several ticket categories: choose one.',
  UNKNOWN_CATEGORY: 'This event has no such ticket category. Choose one of those it lists.',
  EVENT_IN_PAST: 'This event is over, so this can no longer be done.',
  EVENT_NOT_STARTED: 'This event has not started yet.',
  EVENT_CANCELLED: 'This event was cancelled.',
  EVENT_COMPLETED: 'This event is over and closed.',
  INVALID_QUANTITY: 'Choose at least one ticket.',
  SOLD_OUT: 'This category is sold out. Choose another category, or join its waitlist.',
  NOT_ENOUGH_SEATS: 'There are not enough seats left for that many tickets. Choose fewer tickets.',
  USER_LIMIT_EXCEEDED: 'That is more tickets than one person may have for this event. Choose fewer tickets.',
  ALREADY_CANCELLED: 'This was cancelled already.',
  TICKET_ALREADY_USED: 'This ticket was checked in already.',
  TICKET_CANCELLED: 'This ticket was cancelled: it cannot be used.',
  TICKET_NOT_CHECKED_IN: 'This ticket is not checked in: there is no check-in to undo.',
  TICKET_OF_ANOTHER_EVENT: 'This ticket is for another event: it does not open this door.',
  ALREADY_ORGANIZER: 'That person is the event’s organizer already.',
  ALREADY_CO_ORGANIZER: 'That person is a co-organizer of this event already.',
  ALREADY_INVITED: 'That person is invited already.',
  NOT_A_CO_ORGANIZER: 'That person is not a co-organizer of this event.',
  TOO_MANY_CO_ORGANIZERS: 'This event has as many co-organizers as it may have.',
  IS_ORGANIZER: 'That is the event’s own organizer.',
  DUPLICATE_BOOKING: 'This booking was made already.',
  EVENT_STARTED: 'The event has started: only an admin may cancel it now, with a reason.',
  EVENT_NOT_PUBLISHED: 'This event is a draft: nothing is on sale until its organizers publish it.',
  ALREADY_PUBLISHED: 'This event is on sale already: there is no publication to schedule.',
  PUBLISH_AT_INVALID: 'Choose a time to go on sale that is still to come and before the event starts.',
  INVALID_TIMEZONE: 'That is not a time zone we know: pick one from the list, e.g. Europe/London.',
  EVENT_TIME_OUT_OF_RANGE: 'An event’s start and end must be from the year 2000 to the end of 2100.',
  REASON_REQUIRED: 'Give a reason for the cancellation.',
  IDEMPOTENCY_KEY_REUSED: 'This request was sent before with other details. Reload the page and start again.',
  HOLD_EXPIRED: 'Your hold expired and its seats went back on sale. Reserve again to continue.',
  HOLD_ENDED: 'This hold was confirmed or released already.',
  TOO_MANY_HOLDS: 'You hold or wait for as many seats on this event as one person may.',
  HOLD_TOO_SOON: 'Your last hold on this event ended without a purchase: reserve again a little later, or book now.',
  NOT_SOLD_OUT: 'Seats are on sale: book or reserve them instead of joining the waiting line.',
  ALREADY_IN_LINE: 'You are in this waiting line already.',
  PLACE_ENDED: 'This place in the line has ended: seats were offered, or you left.',
  PAYMENT_REQUIRED: 'These seats are paid for: reserve them and pay at checkout.',
  NOTHING_TO_PAY: 'This hold is free: confirm it instead of paying.',
  PAYMENT_DECLINED: 'The payment was declined. Try another card or payment method.',
  PAYMENT_IN_PROGRESS: 'The payment for this hold is being made, or has gone through already.',
  PAYMENTS_OFF: 'Card payments are not set up on this server.',
  PAYMENT_NOT_FOUND: 'There is no such payment.',
  PROVIDER_NOT_FOUND: 'No payment provider of that name is set up on this server.',
  PROVIDER_UNAVAILABLE: 'The payment provider did not answer. Try again in a moment.',
  INVALID_SIGNATURE: 'The payment provider’s message could not be verified.',
  TICKET_NAMED_TWICE: 'The same ticket is named twice in this refund.',
  CATEGORY_NAMED_TWICE: 'The same ticket category is on two lines of this order: put it on one.',
  TOO_MANY_LINES: 'An order has from 1 to 20 lines.',
  TICKET_ALREADY_REFUNDED: 'This ticket was refunded already.',
  REFUND_EXCEEDS_PAYMENT: 'That is more than the payment took and has not given back.',
  AMOUNT_TOO_SMALL: 'That amount is below the smallest payment the provider takes.',
  ALREADY_PAID: 'This booking’s payment is recorded already.',
  PAYMENT_METHOD_NOT_ACCEPTED: 'This event does not accept that way of paying. Choose one it lists.',
  UNKNOWN_PAYMENT_METHOD: 'That way of paying is not offered on this server.',
  NO_PAYMENT_METHOD: 'Choose at least one way buyers may pay.',
  PAYMENT_METHOD_NEEDED: 'Enter your card details to pay by card.',
  OTHER_METHOD_STARTED: 'This hold’s payment was begun another way. Finish paying that way.',
  NO_REFUND_OWED: 'This booking’s payment has no refund waiting to be given back.',
  REFUND_IN_PROGRESS: 'A refund of this payment is being made. Try again once it is done.',
  VOUCHER_NOT_FOUND: 'That voucher code is not known for this event. Check how it is spelled.',
  VOUCHER_NOT_YET_VALID: 'That voucher code is not valid yet.',
  VOUCHER_EXPIRED: 'That voucher code has expired.',
  VOUCHER_DISABLED: 'That voucher code is no longer accepted.',
  VOUCHER_EXHAUSTED: 'That voucher code has been used up.',
  VOUCHER_WRONG_CATEGORY: 'That voucher code does not apply to the tickets chosen.',
  VOUCHER_CODE_TAKEN: 'A voucher with that code exists already on this event. Choose another code.',
  INVALID_VOUCHER: 'The voucher was not made: see the reason given.',
  INVALID_TAX: 'The tax rules were not saved: see the reason given.',
  INVALID_SELLER: 'Your seller’s details were not saved: see the reason given.',
  INVALID_BUYER: 'The invoice details were not accepted: see the reason given.',
  INVOICES_NOT_OFFERED: 'The organizer of this event does not issue invoices here.',
  INVOICE_NOT_FOUND: 'That invoice was not found.',
  SELLER_NOT_FOUND: 'No seller’s details are set yet.',
  STORE_UNAVAILABLE: 'The ledger cannot be reached right now. Try again in a moment.',
  EVENT_BUSY: 'Many people are booking this event right now. Try again in a moment.',
  WRITE_CONFLICT: 'Someone changed this at the same moment. Try again.',

  // Accounts, sign-in and sessions.
  NOT_AUTHENTICATED: 'Sign in to continue.',
  INVALID_TOKEN: 'Your session is no longer valid: sign in again.',
  TOKEN_EXPIRED: 'Your session expired: sign in again.',
  TOKEN_LIFETIME_EXCEEDED: 'Your session has lasted as long as one may: sign in again.',
  TOKEN_REVOKED: 'Your session was ended (signed out everywhere, or the password changed): sign in again.',
  INVALID_CREDENTIALS: 'That e-mail and password do not match an account.',
  INVALID_METRICS_TOKEN: 'The metrics token is not valid.',
  WRONG_PASSWORD: 'The current password is wrong.',
  PERSON_NOT_FOUND: 'There is no such person.',
  PERSON_ALREADY_ERASED: 'This person has been erased already.',
  PERSON_HAS_UNPAID_ORDERS: 'Orders of this person are not paid yet: they are paid or cancelled first.',
  EMAIL_TAKEN: 'An account with that e-mail exists already: sign in instead.',
  USER_NOT_FOUND: 'There is no such user.',
  CANNOT_CHANGE_OWN_ROLE: 'You cannot change your own role: ask another admin.',
  ORGANIZER_NOT_FOUND: 'There is no such organizer.',
  NOT_AN_ORGANIZER: 'That account is not an organizer’s.',
  NOT_THE_INVITEE: 'This invitation is for another organizer.',
  AUTH_BUSY: 'Many people are signing in right now. Try again in a moment.',
  TOO_MANY_AUTH_REQUESTS: 'Too many sign-in requests came from this address. Wait a few minutes before trying again.',
  TOO_MANY_SIGNUPS: 'Too many accounts were created from this address. Wait a while before trying again.',
  TOO_MANY_LOGIN_ATTEMPTS: 'Too many wrong passwords for this account. Wait a few minutes before trying again.',

  // Reads: pages, waits, live streams, audit.
  INVALID_CURSOR: 'This page of the list is no longer valid: go back to the first page.',
  POSITION_BEYOND_HEAD: 'This page expects changes the server does not have. Reload the page.',
  TOO_MANY_WAITERS: 'The server is busy catching up. Try again in a moment.',
  TOO_MANY_STREAMS: 'Too many live views are open. Close some tabs, then reload this one.',
  STATE_QUERY_INVALID: 'The moment or position asked for is not valid.',
  PERIOD_INVALID: 'The period must end after it starts, and be no longer than allowed.',
  UNKNOWN_EVENT_TYPE: 'There is no such kind of ledger entry.',
  VERIFY_RUN_NOT_FOUND: 'There is no such verification run.',
  VERIFY_RUNNING: 'A verification run is under way already: one runs at a time.',
  TOO_MANY_VERIFY_RUNS: 'You started as many verification runs as you may within an hour.',
  TOO_MANY_RECONCILIATION_RUNS: 'You started as many reconciliation runs as you may within an hour.',
  RECONCILIATION_RUN_NOT_FOUND: 'There is no such reconciliation run.',
  RECONCILIATION_RUNNING: 'A reconciliation run is under way already: one runs at a time.',
  TOO_MANY_EXPORTS: 'Too many exports are being made right now. Wait for one to finish.',

  // Proofs.
  CHECKPOINT_NOT_FOUND: 'No signed head has been published there yet.',
  LEAF_NOT_IN_STORE: 'The ledger has no such entry.',
  LEAF_AFTER_HEAD: 'That entry is newer than the signed head asked for.',
  LEAF_NOT_YET_IN_TREE: 'That entry is not in the proof tree yet. Try again in a moment.',
  PROOF_NOT_YET_SIGNED: 'The proof will be ready when the next signed head is published, usually within a minute.',
  PROOF_QUERY_INVALID: 'The proof asked for is not valid.',
  SIGNER_UNAVAILABLE: 'The signing service is not available right now. Try again in a moment.',

  // Operations.
  PROJECTION_NOT_FOUND: 'There is no such read model.',
  REBUILD_IN_PROGRESS: 'A rebuild is under way already. Wait for it to finish.',
  BROKER_UNAVAILABLE: 'The task queue cannot be reached right now. Try again in a moment.',

  // Webhooks.
  WEBHOOK_NOT_FOUND: 'There is no such webhook.',
  WEBHOOK_EVENT_TYPE_UNKNOWN: 'Webhooks are not sent for that kind of entry.',
  WEBHOOK_URL_INVALID: 'The webhook address must be an http(s) URL whose host exists, without a user name or password.',
  WEBHOOK_ADDRESS_REFUSED: 'The webhook address points into a private network, which this server does not send to.',
  WEBHOOK_EVENT_REQUIRED: 'Choose one of your events for this webhook.',
  WEBHOOK_SUSPENDED: 'This webhook is suspended: its owner no longer has the role or the event it needs.',
  TOO_MANY_WEBHOOKS: 'You have as many webhooks as you may: remove one first.',
  TOO_MANY_REPLAYS: 'This webhook was replayed as often as it may be within an hour.',

  // Messages to buyers.
  TOO_MANY_RESENDS: 'This booking’s confirmation was sent again as often as it may be within an hour.',
  NOT_A_BOUNCE: 'This mail is not a delivery report of a bounce or a delay, so nothing was recorded.',
  REPORT_TOO_LARGE: 'This mail is larger than any delivery report, so nothing was recorded.',
  UNKNOWN_MESSAGE: 'This delivery report is not about a message this ledger sent to that address, so nothing was recorded.',

  // HTTP itself.
  BAD_REQUEST: 'The request could not be read.',
  METHOD_NOT_ALLOWED: 'This server does not offer this yet.',
  NOT_ACCEPTABLE: 'The server cannot answer in a form this page reads.',
  PAYLOAD_TOO_LARGE: 'What was sent is too large.',
  UNSUPPORTED_MEDIA_TYPE: 'The server does not take what was sent in that form.',
  TOO_MANY_REQUESTS: 'Too many requests came at once. Wait a little before trying again.',
  VALIDATION_ERROR: 'Some of what was entered was not accepted: see the reasons given.',
  MALFORMED_JSON: 'The request could not be read.',
  INTERNAL_ERROR: 'Something went wrong on our side. Try again; if it keeps happening, contact support.',
};

// Errors whose message names the particulars in words meant for a person: the API's refusals
// naming the category, the seats left, the limit, the longest period or the head's size, the
// payment provider's reason for a decline, and the UI's own errors (a card refused by the payment
// form). That says more than the sentence; what to do next (NEXT_STEPS) follows it.
const SAID_IN_THE_MESSAGE = new Set([
  'UNKNOWN', 'SOLD_OUT', 'NOT_ENOUGH_SEATS', 'USER_LIMIT_EXCEEDED', 'UNKNOWN_CATEGORY', 'LIMIT_BELOW_HELD',
  'CAPACITY_BELOW_SOLD', 'PAYMENT_DECLINED', 'PERIOD_INVALID', 'LEAF_AFTER_HEAD',
  'VOUCHER_EXHAUSTED', 'INVALID_VOUCHER', 'INVALID_TAX', 'INVALID_SELLER', 'INVALID_BUYER',
]);

// What a buyer can do next, said after a message that names the particulars.
const NEXT_STEPS: Readonly<Record<string, string>> = {
  SOLD_OUT: 'Choose another category, or join its waitlist.',
  NOT_ENOUGH_SEATS: 'Choose fewer tickets.',
  USER_LIMIT_EXCEEDED: 'Choose fewer tickets.',
  UNKNOWN_CATEGORY: 'Choose one of those it lists.',
  PAYMENT_DECLINED: 'Try another card or payment method.',
};

// A message that already tells the reader what to try instead.
const SAYS_WHAT_TO_DO = /\b(try|choose|use|pick)\b[^.]*\b(another|a different|other|again)\b/i;
// The API wraps a provider's reason for a decline in its own words ("The payment was declined: Your card was
// declined."): the reason alone says it once.
const DECLINED_PREFIX = /^the payment was declined:\s*/i;

/** A message with its own particulars, said once, then what to do next where it does not say so itself. */
function withNextStep(code: string, message: string): string {
  const step = NEXT_STEPS[code];
  if (!step) return message;
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
    return `Your last hold on this event ended without a purchase: you can reserve seats again from ${dateTime(until)}, or book them now.`;
  }
  const usable = error.message && !isBareCode(error.message) ? error.message : undefined;
  if (SAID_IN_THE_MESSAGE.has(error.code) && usable) return withNextStep(error.code, usable);
  const known = ERROR_SENTENCES[error.code];
  if (known) return known;
  // A code this UI does not know yet (a newer server) or a bare HTTP status from a proxy.
  if (usable && error.status > 0 && error.status < 500) return usable;
  if (error.status >= 500) return 'The server had a problem. Try again in a moment.';
  return usable ?? 'The server refused this request.';
}

/** Whether asking again, unchanged, can succeed: no answer, the server's trouble, or a passing conflict. */
export function canRetry(error: ApiError): boolean {
  if (error.code === 'NETWORK_ERROR' || error.status === 0) return true;
  return error.status >= 500 || TRANSIENT.has(error.code);
}

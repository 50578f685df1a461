import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ApiError } from './api-client';
import { canRetry, ERROR_SENTENCES, errorSentence } from './error-sentences';
import { dateTime } from './format';

// The API's registry itself, read as text: a code added there without a sentence here fails below,
// with nothing generated in between that could go stale.
const registry = readFileSync(resolve(import.meta.dirname, '../../../core/error_codes.py'), 'utf8');
const registered = [...registry.matchAll(/^\w+\s*=\s*ErrorCode\(\s*"([A-Z0-9_]+)"/gm)].map((m) => m[1]);
const UI_CODES = ['NETWORK_ERROR', 'UNKNOWN', 'PROJECTION_BEHIND'];

describe('the error sentences', () => {
  it('reads every code of core/error_codes.py', () => {
    // A code built otherwise than `NAME = ErrorCode("NAME", ...)` would slip past the pattern: refuse it.
    expect(registered.length).toBe(registry.match(/=\s*ErrorCode\(/g)?.length);
    expect(registered).toContain('VALIDATION_ERROR');
    expect(registered).toContain('INTERNAL_ERROR');
  });

  it.each(registered)('has a sentence for %s', (code) => {
    const sentence = ERROR_SENTENCES[code];
    expect(sentence).toMatch(/^[A-Z].*\.$/);
    expect(sentence).not.toContain(code);
    expect(errorSentence(new ApiError(code, code, 400))).toBe(sentence);
  });

  it('keeps no sentence for a code the API no longer has', () => {
    expect(Object.keys(ERROR_SENTENCES).filter((code) => !registered.includes(code) && !UI_CODES.includes(code))).toEqual([]);
  });

  it.each([
    ['INVALID_CREDENTIALS', 'That e-mail and password do not match an account.'],
    ['EMAIL_TAKEN', 'An account with that e-mail exists already: sign in instead.'],
    ['TICKET_ALREADY_USED', 'This ticket was checked in already.'],
    ['PROOF_NOT_YET_SIGNED', 'The proof will be ready when the next signed head is published, usually within a minute.'],
    ['EVENT_NOT_FOUND', 'There is no such event: the link may be wrong, or the event was removed. Look for it in the list of events.'],
  ])('says %s in words', (code, sentence) => {
    expect(errorSentence(new ApiError(code, 'The API says it otherwise', 400))).toBe(sentence);
  });

  it("prefers the API's message where it names the particulars, then says what to do next", () => {
    expect(errorSentence(new ApiError('SOLD_OUT', "Category 'VIP' is sold out", 400)))
      .toBe("Category 'VIP' is sold out. Choose another category, or join its waitlist.");
    expect(errorSentence(new ApiError('SOLD_OUT', 'SOLD_OUT', 400))).toBe(ERROR_SENTENCES.SOLD_OUT);
    expect(errorSentence(new ApiError('UNKNOWN', 'Your card was declined.'))).toBe('Your card was declined.');
    expect(errorSentence(new ApiError('LEAF_AFTER_HEAD', 'Position 99 is after the latest head', 409))).toBe('Position 99 is after the latest head');
  });

  it.each([
    ['The payment was declined: Your card was declined.', 'Your card was declined. Try another card or payment method.'],
    ['Your card has insufficient funds.', 'Your card has insufficient funds. Try another card or payment method.'],
    ['The payment was declined: your card was declined', 'Your card was declined. Try another card or payment method.'],
    ['We are unable to authenticate your payment method. Please choose a different payment method and try again.',
      'We are unable to authenticate your payment method. Please choose a different payment method and try again.'],
  ])('says a decline once, with another card to try: %s', (message, sentence) => {
    expect(errorSentence(new ApiError('PAYMENT_DECLINED', message, 402))).toBe(sentence);
  });

  it('gives each refusal a buyer can act on its next step, the bare code too', () => {
    for (const code of ['SOLD_OUT', 'NOT_ENOUGH_SEATS', 'USER_LIMIT_EXCEEDED', 'UNKNOWN_CATEGORY', 'PAYMENT_DECLINED']) {
      expect(ERROR_SENTENCES[code]).toMatch(/\. (Choose|Try) [^.]+\.$/);
    }
  });

  it('says until when a buyer whose holds lapsed may reserve again, in their own zone', () => {
    const refused = new ApiError('HOLD_TOO_SOON', 'lapsed', 409, undefined, { may_hold_again_at: '2026-11-30T10:20:00Z' });
    const sentence = errorSentence(refused);
    expect(sentence).toContain(dateTime('2026-11-30T10:20:00Z'));
    expect(sentence).toMatch(/^Your last hold on this event ended without a purchase: you can reserve seats again from .+, or book them now\.$/);
  });

  it('never shows a bare code for a code it does not know', () => {
    expect(errorSentence(new ApiError('NEWER_REFUSAL', 'The thing is refused', 409))).toBe('The thing is refused');
    expect(errorSentence(new ApiError('HTTP_418', 'HTTP_418', 418))).toBe('The server refused this request.');
    expect(errorSentence(new ApiError('HTTP_502', 'The server answered 502.', 502))).toBe('The server had a problem. Try again in a moment.');
  });
});

describe('canRetry', () => {
  it.each([
    ['NETWORK_ERROR', 0, true],
    ['INTERNAL_ERROR', 500, true],
    ['HTTP_502', 502, true],
    ['BUSY', 503, true],
    ['EVENT_BUSY', 503, true],
    ['PROOF_NOT_YET_SIGNED', 409, true],
    ['VERIFY_RUNNING', 409, true],
    ['EVENT_NOT_FOUND', 404, false],
    ['NOT_FOUND', 404, false],
    ['VALIDATION_ERROR', 422, false],
    ['INVALID_CREDENTIALS', 401, false],
    ['EMAIL_TAKEN', 409, false],
    ['HOLD_ENDED', 409, false],
    ['TOO_MANY_LOGIN_ATTEMPTS', 429, false],
  ])('%s (%i): %s', (code, status, retry) => {
    expect(canRetry(new ApiError(code, 'message', status))).toBe(retry);
  });
});

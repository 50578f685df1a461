import { useTranslation } from 'react-i18next';
import { useId, useState, type FormEvent } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import { Field, SelectField } from '@/components/ui/field';
import { normaliseError } from '@/lib/api-client';
import { errorSentence } from '@/lib/error-sentences';
import { fieldProblems } from '@/lib/field-errors';
import { idempotencyKey, money } from '@/lib/format';
import { i18n } from '@/lib/i18n';
import { linesTotal } from '@/lib/order-lines';
import { priceTaxWords, taxAddedTo, taxOf, type TaxRule } from '@/lib/taxes';
import type { Category, Hold, HoldLine } from '@/types/api';

import { type HoldOrder, useHoldSeats } from '../api/hold-seats';
import { useJoinWaitlist } from '../api/join-waitlist';

export const MAX_PER_BOOKING = 50; // the API's default MAX_TICKETS_PER_BOOKING

/** Why a quantity cannot be reserved, or null: within what is on sale and the per-user limit. */
export function quantityError(raw: string, available: number, perUserLeft: number | null): string | null {
  if (!/^\d+$/.test(raw.trim())) return i18n.t('checkout:quantity.whole');
  const quantity = Number(raw);
  if (quantity < 1) return i18n.t('checkout:quantity.atLeastOne');
  if (available === 0) return i18n.t('checkout:quantity.soldOut');
  if (quantity > available) return i18n.t('checkout:quantity.onlyLeft', { count: available });
  return limitError(quantity, perUserLeft);
}

/** Why a quantity cannot go on a sold-out category's waitlist, or null (checked against the whole category). */
export function waitlistQuantityError(raw: string, capacity: number, perUserLeft: number | null): string | null {
  if (!/^\d+$/.test(raw.trim())) return i18n.t('checkout:quantity.whole');
  const quantity = Number(raw);
  if (quantity < 1) return i18n.t('checkout:quantity.atLeastOne');
  if (quantity > capacity) return i18n.t('checkout:quantity.capacity', { count: capacity });
  return limitError(quantity, perUserLeft);
}

function limitError(quantity: number, perUserLeft: number | null): string | null {
  if (perUserLeft !== null && quantity > perUserLeft) {
    return perUserLeft === 0
      ? i18n.t('checkout:quantity.limitReached')
      : i18n.t('checkout:quantity.limitLeft', { count: perUserLeft });
  }
  if (quantity > MAX_PER_BOOKING) return i18n.t('checkout:quantity.perBooking', { count: MAX_PER_BOOKING });
  return null;
}

/** Why one category's quantity in an order cannot be reserved, or null: none (0, or left blank) is no error. */
export function lineQuantityError(raw: string, available: number): string | null {
  const text = raw.trim();
  if (text === '') return null;
  if (!/^\d+$/.test(text)) return i18n.t('checkout:quantity.whole');
  return Number(text) === 0 ? null : quantityError(text, available, null);
}

/** Why an order of `seats` tickets in all (across its categories) cannot be reserved, or null. */
export function orderError(seats: number, perUserLeft: number | null): string | null {
  if (seats < 1) return i18n.t('checkout:quantity.none');
  return limitError(seats, perUserLeft);
}

/** The seats an order asks for: each category with a whole number above 0, in the event's order of categories. */
export function orderedLines(categories: Category[], quantities: Readonly<Record<string, string>>): HoldLine[] {
  return categories
    .map((c) => ({ category: c.name, quantity: /^\d+$/.test((quantities[c.name] ?? '').trim()) ? Number(quantities[c.name]) : 0 }))
    .filter((line) => line.quantity > 0);
}

/** What a hold asks for: one category's seats in the API's single form (as before orders across categories), or
 * `lines` for several. */
export function holdRequest(lines: HoldLine[]): HoldOrder {
  const [only] = lines;
  return lines.length === 1 && only ? { category: only.category, quantity: only.quantity } : { lines };
}

/** The hold's refusal that means "none on sale now": the waitlist is the way to these seats (a waitlist forms only
 * once a category is sold out; seats still on sale are booked or held). */
const NOT_ON_SALE = new Set(['SOLD_OUT']);

/** The index of the order's line a refusal points at (its `detail`, `loc` `['body', 'lines', index]`), or null. The
 * body may come from a proxy instead of the API, so each part is checked before use. */
function refusedLineIndex(detail: unknown): number | null {
  if (!Array.isArray(detail)) return null;
  for (const item of detail as unknown[]) {
    const loc = item && typeof item === 'object' ? (item as { loc?: unknown }).loc : undefined;
    if (Array.isArray(loc) && loc[0] === 'body' && loc[1] === 'lines' && Number.isInteger(loc[2])) return loc[2] as number;
  }
  return null;
}

/** The line of a refused hold that is not on sale now, or null: the single form's one category, or the line of an
 * order the API names (then the rest of the order may still be held). */
export function refusedLine(error: unknown, asked: HoldOrder | undefined): HoldLine | null {
  if (!error || !asked || !NOT_ON_SALE.has(normaliseError(error).code)) return null;
  if ('category' in asked) return { category: asked.category, quantity: asked.quantity };
  const index = refusedLineIndex(normaliseError(error).detail);
  return index === null ? null : (asked.lines[index] ?? null);
}

/** Why the API refused the voucher's code, in a sentence for the buyer, or null: the hold was refused for something
 * else, or not at all. */
export function voucherRefusal(error: unknown): string | null {
  if (!error) return null;
  const e = normaliseError(error);
  if (e.code.startsWith('VOUCHER_')) return errorSentence(e);
  return fieldProblems(e).find((problem) => problem.path === 'voucher')?.message ?? null;
}

interface Props {
  eventId: string;
  currency: string;
  categories: Category[];
  perUserLeft: number | null;
  /** The categories whose waitlist the user has a place on already. */
  waitlistedIn: ReadonlySet<string>;
  /** How long a hold keeps its seats, in words ("10 minutes"). */
  holdFor: string;
  onHeld: (hold: Hold) => void;
  /** The event's tax rules: said beside each category's price. */
  taxRules?: TaxRule[] | null;
  /** A voucher code the buyer came with (a link handed out): filled in from the start. */
  voucher?: string | null;
}

/**
 * Choose how many seats of each category to reserve (a hold, confirmed at checkout): one category's are held as
 * before, several make one order, held all or none. A sold-out category (or one the API says sold out meanwhile)
 * has its waitlist to join instead.
 */
export function ReserveForm({
  eventId, currency, categories, perUserLeft, waitlistedIn, holdFor, onHeld, taxRules, voucher: given,
}: Props) {
  const hold = useHoldSeats();
  const join = useJoinWaitlist();
  const { t } = useTranslation('checkout');
  const id = useId();
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState(false);
  // One key per intended hold or place: a retry after a dropped answer takes nothing more.
  const [key, setKey] = useState(idempotencyKey);
  // The waitlist to join (of a sold-out category) and the seats to wait for.
  const [waitlistChoice, setWaitlistChoice] = useState({ category: '', quantity: '1', touched: false });
  const [waitKey, setWaitKey] = useState(idempotencyKey);
  // A voucher's code, typed behind "Have a voucher code?": sent with the hold, which the API prices with it.
  const [voucherOpen, setVoucherOpen] = useState(!!given);
  const [voucher, setVoucher] = useState(given ?? '');
  const voucherId = `${id}-voucher`;
  const voucherError = voucherRefusal(hold.error);

  // A category the API just said is sold out (the seats went meanwhile): its waitlist, not its seats, is offered.
  const asked = hold.variables;
  const refusedIn = refusedLine(hold.error, asked)?.category ?? null;
  // Refused for one line of several: the others are still chosen, to hold without it.
  const refusedInOrder = refusedIn !== null && !!asked && 'lines' in asked;
  const soldOut = (c: Category) => c.available === 0 || c.name === refusedIn;
  const onSale = categories.filter((c) => !soldOut(c));
  const waitable = categories.filter((c) => soldOut(c) && !waitlistedIn.has(c.name));

  const lineErrors = Object.fromEntries(onSale.map((c) => [c.name, lineQuantityError(quantities[c.name] ?? '', c.available)]));
  const lines = orderedLines(onSale, quantities);
  const seats = lines.reduce((n, line) => n + line.quantity, 0);
  const priced = lines.map((line) => ({ ...line, unit_price: onSale.find((c) => c.name === line.category)?.price ?? '0' }));
  const total = linesTotal(priced);
  // A tax added on top of a price chosen: the total before it is told as such, the hold tells the tax.
  const plusTax = taxAddedTo(taxRules, lines.map((line) => line.category));
  const priceOf = (c: Category) => {
    const tax = taxOf(taxRules, c.name);
    return tax ? `${money(c.price, currency)} ${priceTaxWords(tax)}` : money(c.price, currency);
  };
  const wholeError = orderError(seats, perUserLeft);
  const invalid = Object.values(lineErrors).some(Boolean) || !!wholeError;
  const maxOf = (c: Category) => Math.max(0, Math.min(c.available, perUserLeft ?? Infinity, MAX_PER_BOOKING));

  const waitChosen = waitable.find((c) => c.name === waitlistChoice.category) ?? waitable.find((c) => c.name === refusedIn) ?? waitable[0];
  const waitError = waitChosen ? waitlistQuantityError(waitlistChoice.quantity, waitChosen.capacity, perUserLeft) : null;

  const changeLine = (name: string, value: string) => {
    setQuantities((q) => ({ ...q, [name]: value }));
    setTouched(true);
    setKey(idempotencyKey());
    hold.reset();
    join.reset();
  };
  const changeVoucher = (value: string) => {
    setVoucher(value);
    setKey(idempotencyKey()); // another code is another request
    hold.reset();
  };
  const changeWait = (change: Partial<typeof waitlistChoice>) => {
    setWaitlistChoice((w) => ({ ...w, ...change, touched: true }));
    setWaitKey(idempotencyKey());
    join.reset();
  };

  const reserve = () => {
    setTouched(true);
    if (invalid) return;
    hold.mutate({ eventId, idempotencyKey: key, ...holdRequest(lines), voucher: voucher.trim() || undefined }, {
      onSuccess: (held) => { setKey(idempotencyKey()); setQuantities({}); setTouched(false); onHeld(held); },
      onError: (error, input) => {
        // The code was refused, and nothing held: the buyer reads why at the field, and may correct it.
        if (voucherRefusal(error)) document.getElementById(voucherId)?.focus();
        // Refused as sold out: its waitlist is offered for the seats asked, and its line leaves the order.
        const refused = refusedLine(error, input);
        if (refused) {
          setWaitlistChoice({ category: refused.category, quantity: String(refused.quantity), touched: false });
          setQuantities((q) => ({ ...q, [refused.category]: '0' }));
          setKey(idempotencyKey()); // what is left is another order, under its own key
        }
      },
    });
  };
  const joinWaitlist = () => {
    setWaitlistChoice((w) => ({ ...w, touched: true }));
    if (!waitChosen || waitError) return;
    join.mutate({ eventId, category: waitChosen.name, quantity: Number(waitlistChoice.quantity), idempotencyKey: waitKey }, {
      onSuccess: () => { setWaitKey(idempotencyKey()); hold.reset(); setWaitlistChoice({ category: '', quantity: '1', touched: false }); },
    });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (onSale.length > 0) reserve();
    else joinWaitlist();
  };

  return (
    <form className="form booking-form" onSubmit={submit} noValidate aria-label={t('events:book')}>
      {onSale.length > 0 && (
        <>
          <fieldset className="order-input">
            <legend className="sr-only">{t('perCategory')}</legend>
            {categories.map((c, i) => {
              const inputId = `${id}-line-${i}`;
              const error = lineErrors[c.name];
              if (soldOut(c)) {
                return (
                  <div key={c.name} className="order-row order-row--sold-out" data-testid={`order-row-${c.name}`}>
                    <div className="order-row__what">
                      <span className="order-row__name">{c.name}</span>
                      <small className="muted">{priceOf(c)}</small>
                    </div>
                    <span className="order-row__status">{waitlistedIn.has(c.name) ? t('soldOutWaiting') : t('events:seats.soldOut')}</span>
                  </div>
                );
              }
              return (
                <div key={c.name} className="order-row" data-testid={`order-row-${c.name}`}>
                  <div className="order-row__what">
                    <label htmlFor={inputId} className="order-row__name"><span className="sr-only">{t('quantityOf')} </span>{c.name}</label>
                    {/* "3 left" kept on one line where a tax's words make the line wrap. */}
                    <small className="muted">{priceOf(c)} · {t('left', { count: c.available })}</small>
                  </div>
                  <input id={inputId} className="order-row__quantity" type="number" inputMode="numeric" min={0} max={maxOf(c)}
                    value={quantities[c.name] ?? '0'} onChange={(e) => changeLine(c.name, e.target.value)}
                    aria-invalid={!!error} aria-describedby={error ? `${inputId}-error` : perUserLeft !== null ? `${id}-limit` : undefined} />
                  {error && <small id={`${inputId}-error`} className="field__error order-row__error">{error}</small>}
                </div>
              );
            })}
          </fieldset>
          {perUserLeft !== null && <small id={`${id}-limit`} className="field__hint">{t('upTo', { count: perUserLeft })}</small>}
          <p className="booking-form__total" data-testid="order-total">
            {t('total')} <strong>{money(total, currency)}</strong>{plusTax && <span data-testid="order-plus-tax"> {t('plusTax')}</span>}
            {seats > 0 && <span className="muted booking-form__count"> · {t('tickets', { count: seats })}{lines.length > 1 ? ` ${t('inCategories', { count: lines.length })}` : ''}</span>}
          </p>
          {touched && wholeError && <small id={`${id}-order-error`} className="field__error" data-testid="order-error">{wholeError}</small>}
          {voucherOpen ? (
            <Field id={voucherId} label={t('voucherCode')} value={voucher} autoComplete="off" autoCapitalize="characters" spellCheck={false}
              autoFocus hint={t('voucherHint')} error={voucherError ?? undefined}
              onChange={(e) => changeVoucher(e.target.value)} />
          ) : (
            <button type="button" className="link booking-form__voucher" aria-expanded={false} onClick={() => setVoucherOpen(true)}>
              {t('haveVoucher')}
            </button>
          )}
          {hold.error && !voucherError && <ErrorMessage error={hold.error} title={refusedIn ? t('notOnSale') : t('reserveRefused')} />}
          {refusedInOrder && (
            <p className="muted" role="status" data-testid="order-changed">
              {t('orderChanged', { category: refusedIn })}
            </p>
          )}
          <button type="submit" className="btn btn--block" disabled={hold.isPending || (touched && invalid)}
            aria-describedby={touched && wholeError ? `${id}-order-error` : undefined}>
            {hold.isPending ? t('reserving') : t('reserve')}
          </button>
          <p className="muted booking-form__note">
            {t('holdFor', { length: holdFor })}
            {onSale.length > 1 && ` ${t('heldTogether')}`}
          </p>
        </>
      )}
      {onSale.length === 0 && hold.error && <ErrorMessage error={hold.error} title={refusedIn ? t('notOnSale') : t('reserveRefused')} />}
      {waitChosen && (
        <div className="waitlist-join" role="group" aria-label={t('waitlist')}>
          <p className="muted" data-testid="sold-out">
            {t('waitlistWhy', { category: waitChosen.name })}
          </p>
          {waitable.length > 1 && (
            <SelectField label={t('waitlistOf')} value={waitChosen.name} onChange={(e) => changeWait({ category: e.target.value })}>
              {waitable.map((c) => <option key={c.name} value={c.name}>{c.name} — {money(c.price, currency)}</option>)}
            </SelectField>
          )}
          <Field label={t('waitFor', { category: waitChosen.name })} type="number" inputMode="numeric" min={1}
            max={Math.max(1, Math.min(waitChosen.capacity, perUserLeft ?? Infinity, MAX_PER_BOOKING))}
            value={waitlistChoice.quantity} onChange={(e) => changeWait({ quantity: e.target.value })}
            error={waitlistChoice.touched && waitError ? waitError : undefined} />
          {join.error && <ErrorMessage error={join.error} title={t('joinFailed')} />}
          <button type={onSale.length > 0 ? 'button' : 'submit'} className={`btn btn--block${onSale.length > 0 ? ' btn--ghost' : ''}`}
            disabled={join.isPending || (waitlistChoice.touched && !!waitError)} onClick={onSale.length > 0 ? joinWaitlist : undefined}>
            {join.isPending ? t('joining') : t('join')}
          </button>
        </div>
      )}
    </form>
  );
}

import { useTranslation } from 'react-i18next';
import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';

import { OrderLines, VoucherPrice } from '@/components/order-lines/order-lines';
import { TaxLines } from '@/components/order-lines/tax-lines';
import { ErrorMessage, Notice } from '@/components/ui/feedback';
import { normaliseError } from '@/lib/api-client';
import { dateTime, money } from '@/lib/format';
import { i18n } from '@/lib/i18n';
import { discounted, linesOf, linesTotal, voucherSaving } from '@/lib/order-lines';
import { orderTaxes, taxedLines, type TaxRule } from '@/lib/taxes';
import type { Booking, Hold } from '@/types/api';

import { useConfirmHold } from '../api/confirm-hold';
import { acceptedMethods, methodName, usePaymentMethods, usePaymentsConfig } from '../api/pay-hold';
import { useReleaseHold } from '../api/release-hold';
import { CardPayment } from './card-payment';
import { Countdown, useCountdown } from './countdown';
import { TransferPayment } from './transfer-payment';

/** A hold's end by its time, in words (the UI's language). */
export const expiredMessage = () => i18n.t('checkout:ended.expired');


/** Why a hold can no longer be confirmed, or null while it can: its own status, the clock, or the API's refusal. */
export function holdEnded(hold: Hold, remaining: number, refusal: string | undefined): string | null {
  if (hold.status === 'expired' || refusal === 'HOLD_EXPIRED' || (hold.status === 'active' && remaining <= 0)) return expiredMessage();
  if (hold.status === 'released') return i18n.t(hold.offer ? 'checkout:ended.declined' : 'checkout:ended.released');
  if (hold.status === 'closed') return i18n.t('checkout:ended.closed');
  if (hold.status === 'confirmed' || refusal === 'HOLD_ENDED') return i18n.t('checkout:ended.done');
  return null;
}

/** What a part of the checkout from another feature (composed by the route) runs before the seats are paid for or
 * booked: it sends what the buyer gave there, and answers whether paying may go on (false: it shows why not). */
export type BeforePaying = () => Promise<boolean>;

/** What the checkout gives such a part: the hold, and where to register what it runs before paying (null: nothing). */
export interface CheckoutExtraSlot {
  hold: Hold;
  setStep: (step: BeforePaying | null) => void;
}

interface Props {
  hold: Hold;
  currency: string;
  /** What the hold is for, above its seats (the event's name on a page listing many). */
  context?: ReactNode;
  onBooked: (booking: Booking) => void;
  /** The seats were released (or the offer declined). */
  onReleased: () => void;
  /** What to do once the hold ended: start again (the event page), or go to the event. */
  restart: ReactNode;
  /** The title's heading level: 3 inside a page's section. */
  level?: 2 | 3;
  /** The payment methods the hold's event accepts, by name (null or left out: every one). */
  accepted?: readonly string[] | null;
  /** The event's tax rules: they say whether a tax in the total was included in the prices or added on top. */
  taxRules?: TaxRule[] | null;
  /** More the buyer gives before paying (an invoice's details), above the payment. */
  extra?: (slot: CheckoutExtraSlot) => ReactNode;
  /** It took the place of the form the buyer just sent: the focus moves to its heading, so a keyboard or screen
   * reader user goes on from here rather than from the top of the page. */
  takeFocus?: boolean;
}

/**
 * A hold at checkout: the time left, the seats and their price (each category's line, for an order across
 * categories), Confirm or Release. An offer to a place on a waitlist is the same hold, declined by releasing it.
 */
export function CheckoutPanel({
  hold, currency, context, onBooked, onReleased, restart, level = 2, accepted, taxRules, extra, takeFocus = false,
}: Props) {
  // Kept for its payment, the hold lasts longer than it was made for (its card payment says).
  const [keptUntil, setKeptUntil] = useState<string | null>(null);
  const remaining = useCountdown(keptUntil ?? hold.expires_at);
  const confirm = useConfirmHold();
  const release = useReleaseHold();
  const refusal = [confirm.error, release.error].filter(Boolean).map((e) => normaliseError(e).code)
    .find((code) => code === 'HOLD_EXPIRED' || code === 'HOLD_ENDED');
  const ended = holdEnded(hold, remaining, refusal);
  const quantity = hold.quantity ?? 0;
  const unit = hold.unit_price ?? '0';
  // An order across categories has a line each; one category's seats are said as before.
  const lines = linesOf(hold);
  const several = lines.length > 1;
  const { t } = useTranslation('checkout');
  const title = hold.offer ? t('offerTitle') : t('heldTitle');
  const total = hold.total != null ? Number(hold.total) : several ? linesTotal(lines) : Number(unit) * quantity;
  // A voucher's hold: its code (the hold just made names it; one read back from the list may not), and what it
  // took off the list prices.
  const withVoucher = !!hold.voucher || lines.some(discounted);
  const saving = voucherSaving(lines, total, hold.list_total);
  // Its price per tax rate: the hold just made says it; one read back from the list tells its lines alone.
  const taxes = orderTaxes(hold.taxes, lines);
  // With a payment provider, seats with a price are booked by paying for them, not by a click.
  const payments = usePaymentsConfig();
  const byCard = payments.data?.provider === 'stripe' && total > 0 ? payments.data : null;
  // With a card provider, the buyer picks one of the event's methods: the card, or a method that
  // books the seats first (a bank transfer). Without one, paid seats are confirmed and owed, as ever.
  const methods = usePaymentMethods(byCard !== null);
  const offered = byCard ? acceptedMethods(methods.data ?? [], accepted) : [];
  const [chosen, setChosen] = useState<string | null>(null);
  const method = offered.find((m) => m.name === chosen) ?? offered[0];
  const byTransfer = method?.books_seats_first ? method : null;
  const choiceId = useId();
  const Heading = level === 3 ? 'h3' : 'h2';
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { if (takeFocus) heading.current?.focus(); }, [takeFocus]);
  // What the extra part runs before paying, read when the buyer pays (it may change as they fill it in).
  const step = useRef<BeforePaying | null>(null);
  const setStep = useCallback((registered: BeforePaying | null) => { step.current = registered; }, []);
  const beforePaying = useCallback(async () => (step.current ? step.current() : true), []);
  const [preparing, setPreparing] = useState(false);
  const book = async () => {
    setPreparing(true);
    const ready = await beforePaying().finally(() => setPreparing(false));
    if (ready) confirm.mutate(hold.id, { onSuccess: (booking) => onBooked(booking) });
  };

  return (
    <section className={`checkout${ended ? ' checkout--ended' : ''}`} aria-label={title} data-testid={hold.offer ? 'offer' : 'hold'}>
      <Heading ref={heading} tabIndex={-1}>{title}</Heading>
      {context}
      {!ended && (
        <p className="muted checkout__why">
          {hold.offer
            ? t('offerWhy')
            : t('heldWhy')}
        </p>
      )}
      <dl className="checkout__facts">
        {several ? (
          <div className="checkout__lines">
            <dt>{t('seats')}</dt>
            <dd data-testid="hold-seats"><OrderLines lines={lines} currency={currency} label={t('seatsHeld')} /></dd>
          </div>
        ) : (
          <>
            <div><dt>{t('seats')}</dt><dd data-testid="hold-seats">{quantity} × {hold.category ?? '—'}</dd></div>
            <div><dt>{t('unitPrice')}</dt><dd data-testid="hold-unit-price"><VoucherPrice price={unit} listPrice={lines[0]?.list_price} currency={currency} /></dd></div>
          </>
        )}
        {withVoucher && (
          <div><dt>{t('voucher')}</dt><dd data-testid="hold-voucher">{hold.voucher ? <code>{hold.voucher}</code> : t('voucherApplied')}</dd></div>
        )}
        {saving > 0 && <div><dt>{t('discount')}</dt><dd data-testid="hold-discount">−{money(saving, currency)}</dd></div>}
        <div><dt>{t('total')}</dt><dd><strong data-testid="hold-total">{money(total, currency)}</strong></dd></div>
        {taxedLines(taxes).length > 0 && (
          <div className="checkout__taxes">
            <dt className="sr-only">{t('taxes')}</dt>
            <dd><TaxLines taxes={taxes} rules={taxRules} currency={currency} /></dd>
          </div>
        )}
        {!ended && (
          <div><dt>{t('timeLeft')}</dt><dd><Countdown remaining={remaining} />{' '}
            <small className="muted hold-until" data-testid="hold-until">{t('until', { time: dateTime(keptUntil ?? hold.expires_at) })}</small></dd></div>
        )}
      </dl>
      {ended ? (
        <>
          <Notice tone="warning"><span data-testid="hold-ended">{ended}</span></Notice>
          <div className="row">{restart}</div>
        </>
      ) : (
        <>
          {extra?.({ hold, setStep })}
          {confirm.error && !refusal && <ErrorMessage error={confirm.error} title={t('refused')} />}
          {release.error && !refusal && <ErrorMessage error={release.error} title={t('releaseFailed')} />}
          {offered.length > 1 && (
            <fieldset className="payment-methods" data-testid="payment-methods">
              <legend>{t('howPay')}</legend>
              {offered.map((m) => (
                <label key={m.name} className="payment-methods__choice" htmlFor={`${choiceId}-${m.name}`}>
                  <input type="radio" id={`${choiceId}-${m.name}`} name={`${choiceId}-method`} value={m.name}
                    checked={m.name === method?.name} onChange={() => setChosen(m.name)} />
                  {' '}{methodName(m)}
                </label>
              ))}
            </fieldset>
          )}
          {byCard && !byTransfer && <CardPayment hold={hold} config={byCard} currency={currency} total={total}
            onBooked={onBooked} onKept={setKeptUntil} busy={release.isPending} beforePaying={beforePaying} />}
          {byTransfer && <TransferPayment hold={hold} method={byTransfer} currency={currency} total={total}
            onBooked={onBooked} busy={release.isPending} beforePaying={beforePaying} />}
          <div className="row">
            {!byCard && (
              <button type="button" className="btn" disabled={preparing || confirm.isPending || release.isPending}
                onClick={() => void book()}>
                {preparing || confirm.isPending ? t('confirming') : t('confirm')}
              </button>
            )}
            <button type="button" className="btn btn--ghost" disabled={preparing || confirm.isPending || release.isPending}
              onClick={() => release.mutate(hold.id, { onSuccess: () => onReleased() })}>
              {release.isPending ? t('releasing') : hold.offer ? t('decline') : t('release')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

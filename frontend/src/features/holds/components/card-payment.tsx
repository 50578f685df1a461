import { useTranslation } from 'react-i18next';
import { useEffect, useRef, useState } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import { ApiError } from '@/lib/api-client';
import { money } from '@/lib/format';
import { currentLanguage, i18n } from '@/lib/i18n';
import { type CardElement, cardId, loadStripe, type StripeJs } from '@/lib/stripe';
import type { Booking, Hold, Payment, PaymentsConfig } from '@/types/api';

import { getBooking, getHold, payHold, usePaidHold } from '../api/pay-hold';


interface Props {
  hold: Hold;
  config: PaymentsConfig;
  currency: string;
  total: number;
  onBooked: (booking: Booking) => void;
  /** The hold was kept for its payment until this time (its seats stay the buyer's meanwhile). */
  onKept?: (expiresAt: string) => void;
  /** Whether another action on the hold (releasing it) is under way. */
  busy?: boolean;
  /** Run before the card is charged (what else the checkout asked for is sent); false: nothing is paid. */
  beforePaying?: () => Promise<boolean>;
}

/**
 * Pay for a hold by card with Stripe.js: the card field, then Pay. The server makes and confirms
 * the payment; a card that asks for 3-D Secure is authenticated in Stripe.js, then asked again.
 * The hold becomes its booking once the payment succeeded.
 */
export function CardPayment({ hold, config, currency, total, onBooked, onKept, busy = false, beforePaying }: Props) {
  const field = useRef<HTMLDivElement>(null);
  const [stripe, setStripe] = useState<{ js: StripeJs; card: CardElement } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [paying, setPaying] = useState(false);
  const { t } = useTranslation('checkout');
  const refresh = usePaidHold();

  useEffect(() => {
    let card: CardElement | undefined;
    let gone = false;
    if (!config.js_url) return undefined;
    loadStripe(config.js_url, config.publishable_key ?? '').then((js) => {
      if (gone || !field.current) return;
      card = js.elements({ locale: currentLanguage() }).create('card');
      card.mount(field.current);
      setStripe({ js, card });
    }).catch((error: unknown) => { if (!gone) setProblem(error); });
    return () => { gone = true; card?.destroy(); };
  }, [config.js_url, config.publishable_key]);

  async function pay() {
    if (!stripe) return;
    setPaying(true);
    setProblem(null);
    try {
      if (beforePaying && !(await beforePaying())) return;
      const method = await cardId(stripe.js, stripe.card);
      let payment: Payment = await payHold(hold.id, method);
      if (payment.status === 'requires_action' && payment.client_secret) {
        // The server kept the hold for this payment: the countdown follows it while the buyer
        // authenticates, however long the hold had left.
        const kept = await getHold(hold.id).catch(() => null);
        if (kept?.expires_at) onKept?.(kept.expires_at);
        const done = await stripe.js.confirmCardPayment(payment.client_secret);
        if (done.error) throw new ApiError('PAYMENT_DECLINED', done.error.message ?? i18n.t('checkout:card.notAuthenticated'), 402);
        payment = await payHold(hold.id, method);
      }
      if (payment.status === 'succeeded' && payment.booking_id) {
        refresh();
        onBooked(await getBooking(payment.booking_id));
        return;
      }
      if (payment.status === 'refunded' || payment.status === 'refund_pending') throw new Error(i18n.t('checkout:card.refunded'));
      throw new ApiError('PAYMENT_DECLINED', payment.message ?? i18n.t('checkout:card.failed'), 402);
    } catch (error) {
      setProblem(error);
    } finally {
      setPaying(false);
    }
  }

  return (
    <div className="card-payment" data-testid="card-payment">
      <label className="card-payment__label" htmlFor="card-field">{t('card.label')}</label>
      <div id="card-field" className="card-payment__field" ref={field} data-testid="card-field" />
      {problem !== null && <ErrorMessage error={problem} title={t('card.notMade')} />}
      <div className="row">
        <button type="button" className="btn" disabled={!stripe || paying || busy} onClick={() => void pay()}>
          {paying ? t('card.paying') : t('card.pay', { amount: money(total, currency) })}
        </button>
      </div>
    </div>
  );
}

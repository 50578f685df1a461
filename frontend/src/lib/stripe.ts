// Stripe.js, loaded from the address the server gives (`GET /api/payments/config`): Stripe's own
// (https://js.stripe.com/v3/) in production, localstripe's in tests and local runs. Loaded here
// rather than with @stripe/stripe-js, whose loader only knows Stripe's address.

import { ApiError } from './api-client';
import { i18n } from './i18n';

/** The part of Stripe.js the checkout uses: a card field, the card's id, 3-D Secure. */
export interface CardElement {
  mount(target: HTMLElement): void;
  destroy(): void;
}

interface StripeError {
  message?: string;
  /** Stripe's error code: `card_declined`, `expired_card`, `incorrect_cvc`... */
  code?: string;
}

interface StripeResult {
  error?: StripeError | null;
}

export interface StripeJs {
  elements(options?: { locale?: string }): { create(type: 'card', options?: object): CardElement };
  createPaymentMethod?(data: { type: 'card'; card: CardElement }): Promise<(StripeResult & { paymentMethod?: { id: string } }) | undefined>;
  createToken(card: CardElement): Promise<StripeResult & { token?: { card?: { id: string } } }>;
  confirmCardPayment(clientSecret: string): Promise<StripeResult & { paymentIntent?: { status: string } }>;
}

declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeJs;
  }
}

const loading = new Map<string, Promise<void>>();

/** Stripe.js from `url`, once per page; rejects when it cannot be loaded. */
export function loadStripe(url: string, publishableKey: string): Promise<StripeJs> {
  if (window.Stripe) return Promise.resolve(window.Stripe(publishableKey)); // on the page already
  let script = loading.get(url);
  if (!script) {
    script = new Promise<void>((resolve, reject) => {
      const tag = document.createElement('script');
      tag.src = url;
      tag.async = true;
      tag.onload = () => resolve();
      tag.onerror = () => {
        loading.delete(url);
        reject(new Error(i18n.t('checkout:card.notLoadedRetry')));
      };
      document.head.appendChild(tag);
    });
    loading.set(url, script);
  }
  return script.then(() => {
    if (!window.Stripe) throw new Error(i18n.t('checkout:card.notLoaded'));
    return window.Stripe(publishableKey);
  });
}

// Stripe's codes for a card that will not pay, whatever is typed again: another card is the way on.
const DECLINES = new Set(['card_declined', 'expired_card']);

/** Stripe.js's refusal of a card as this page's error: a decline as the API's PAYMENT_DECLINED, others in Stripe's words. */
export function cardRefusal(error: StripeError, fallback: string): Error {
  const message = error.message ?? fallback;
  return error.code && DECLINES.has(error.code) ? new ApiError('PAYMENT_DECLINED', message, 402) : new Error(message);
}

/**
 * The card's id to pay with: a PaymentMethod where Stripe.js makes one; else the card of a
 * token (localstripe's Stripe.js makes no PaymentMethods; Stripe takes a card's id in their place).
 */
export async function cardId(stripe: StripeJs, card: CardElement): Promise<string> {
  const made = stripe.createPaymentMethod ? await stripe.createPaymentMethod({ type: 'card', card }) : undefined;
  if (made?.error) throw cardRefusal(made.error, i18n.t('checkout:card.refused'));
  if (made?.paymentMethod?.id) return made.paymentMethod.id;
  const token = await stripe.createToken(card);
  if (token.error) throw cardRefusal(token.error, i18n.t('checkout:card.refused'));
  const id = token.token?.card?.id;
  if (!id) throw new Error(i18n.t('checkout:card.refused'));
  return id;
}

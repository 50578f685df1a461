import { ROOT } from '@/lib/react-query';

/** Every query key of the holds feature: a user's checkout holds (offers included) and places on waitlists. */
export const holdKeys = {
  all: [ROOT.holds] as const,
  /** Every user's hold list held in the cache (one user's, in practice). */
  lists: [ROOT.holds, 'holds'] as const,
  mine: (userId: string) => [ROOT.holds, 'holds', userId] as const,
  places: (userId: string) => [ROOT.holds, 'places', userId] as const,
  /** The event a hold or place is for (its name and currency beside it). */
  event: (eventId: string) => [ROOT.holds, 'event', eventId] as const,
  /** How the browser pays (the provider and its Stripe.js): the same for every hold. */
  paymentsConfig: [ROOT.holds, 'payments-config'] as const,
  /** The payment methods the server has: the same for every hold. */
  paymentMethods: [ROOT.holds, 'payment-methods'] as const,
};

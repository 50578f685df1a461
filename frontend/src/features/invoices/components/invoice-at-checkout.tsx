import { useTranslation } from 'react-i18next';
import { useEffect, useId, useRef, useState } from 'react';

import { ErrorMessage, Notice } from '@/components/ui/feedback';
import { normaliseError } from '@/lib/api-client';
import { i18n } from '@/lib/i18n';

import { usePublicSeller } from '../api/get-public-seller';
import { useRequestInvoice } from '../api/request-invoice';
import { BuyerFields } from './buyer-fields';
import { toBuyerIn } from './party-details';
import { useBuyerForm } from './use-buyer-form';

/** What a checkout runs before the seats are paid for or booked: true lets it go on. */
type BeforePaying = () => Promise<boolean>;

/** Why nothing was paid, as the headline over the API's reason. */
const refusedTitle = (error: unknown) => (['INVALID_BUYER', 'VALIDATION_ERROR'].includes(normaliseError(error).code)
  ? i18n.t('checkout:invoice.correct') : i18n.t('checkout:invoice.notAsked'));

interface Props {
  holdId: string;
  /** The event's organizer: an invoice is offered when they issue invoices. */
  organizerId: string | null | undefined;
  /** Where the checkout takes what it runs before paying (null: nothing). */
  setStep: (step: BeforePaying | null) => void;
}

/**
 * At checkout, when the event's organizer issues invoices: "I need an invoice" reveals the buyer's details. They are
 * sent for the hold as the buyer pays, before the payment; refused, nothing is paid and the field says why.
 */
export function InvoiceAtCheckout({ holdId, organizerId, setStep }: Props) {
  const seller = usePublicSeller(organizerId);
  const request = useRequestInvoice({ holdId });
  const form = useBuyerForm(request.error);
  const [wanted, setWanted] = useState(false);
  const id = useId();
  const { t } = useTranslation('checkout');

  // The step reads the form as it stands when the buyer pays.
  const now = useRef({ wanted, form, request });
  now.current = { wanted, form, request };
  useEffect(() => {
    setStep(async () => {
      const { wanted: asking, form: buyer, request: sending } = now.current;
      // Asked already (a payment declined after): the first request stands.
      if (!asking || sending.isSuccess) return true;
      if (!buyer.check()) return false;
      try {
        await sending.mutateAsync(toBuyerIn(buyer.values));
        return true;
      } catch (refusal) {
        buyer.refused(refusal);
        return false;
      }
    });
    return () => setStep(null);
  }, [setStep]);

  if (!seller.data) return null;
  if (request.data) {
    return (
      <Notice tone="info">
        <span data-testid="invoice-asked">
          {t('invoice.asked', { buyer: request.variables?.company || request.variables?.name, seller: seller.data.name })}
        </span>
      </Notice>
    );
  }
  return (
    <div className="invoice-request" data-testid="invoice-request">
      <label className="switch" htmlFor={`${id}-wanted`}>
        <input type="checkbox" id={`${id}-wanted`} checked={wanted} aria-controls={wanted ? `${id}-fields` : undefined}
          onChange={(e) => { setWanted(e.target.checked); request.reset(); }} />
        {t('invoice.need')}
      </label>
      {wanted && (
        <fieldset className="invoice-request__fields" id={`${id}-fields`}>
          <legend>{t('invoice.details')}</legend>
          <p className="muted invoice-request__about">
            {t('invoice.about', { seller: seller.data.name })}
          </p>
          <BuyerFields values={form.values} errors={form.errors} onChange={form.set} fieldId={form.fieldId} />
        </fieldset>
      )}
      {wanted && request.error ? <ErrorMessage error={request.error} title={refusedTitle(request.error)} problems={form.elsewhere} /> : null}
    </div>
  );
}

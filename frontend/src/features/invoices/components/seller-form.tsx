import { useState, type FormEvent } from 'react';

import { ErrorMessage, Notice } from '@/components/ui/feedback';
import { Field, TextAreaField } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { useApiFieldErrors } from '@/lib/field-errors';

import { type Seller, useMySeller, useSetSeller } from '../api/seller';
import { CountryField } from './country-field';
import { readersCountry } from './countries';
import {
  ADDRESS_LENGTH, EMAIL_LENGTH, invoiceNumber, NAME_LENGTH, PREFIX_LENGTH, sellerFormKey, sellerValues, type SellerValues,
  toSellerIn, validateSeller, VAT_ID_LENGTH,
} from './party-details';

/** How far the organizer's invoice book is: the last number issued, and the next one. */
function Numbering({ seller }: { seller: Seller }) {
  const issued = seller.invoices_issued;
  return (
    <p className="seller-numbering" data-testid="invoice-numbering">
      {issued === 0
        ? <>No invoice issued yet: the first will be <strong className="invoice-number">{invoiceNumber(seller.prefix, 1)}</strong>.</>
        : <>Last number issued: <strong>{issued}</strong>; the next invoice is{' '}
          <strong className="invoice-number">{invoiceNumber(seller.prefix, issued + 1)}</strong>.</>}
    </p>
  );
}

function Form({ seller }: { seller: Seller | null }) {
  const save = useSetSeller();
  const [values, setValues] = useState<SellerValues>(() => sellerValues(seller, readersCountry()));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const elsewhere = useApiFieldErrors(save.error, sellerFormKey, setErrors);
  const set = <K extends keyof SellerValues>(key: K, value: SellerValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _, ...rest }) => rest); // an edited field's error goes away
    if (save.isSuccess) save.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validateSeller(values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate(toSellerIn(values), { onSuccess: (saved) => setValues(sellerValues(saved)) });
  };
  const current = save.data ?? seller;
  return (
    <form className="form seller-form" onSubmit={submit} noValidate aria-label="Seller's details">
      {current ? <Numbering seller={current} /> : (
        <Notice>
          <span data-testid="no-seller">You issue no invoices yet: once these details are saved, your buyers may ask for one at checkout
            or from their bookings.</span>
        </Notice>
      )}
      <Field label="Name on your invoices" value={values.name} error={errors.name} autoComplete="organization" maxLength={NAME_LENGTH}
        hint="Your company's or your own, as registered" onChange={(e) => set('name', e.target.value)} />
      <TextAreaField label="Address" rows={3} value={values.address} error={errors.address} autoComplete="street-address"
        maxLength={ADDRESS_LENGTH} hint="As it goes on your invoices, a line each" onChange={(e) => set('address', e.target.value)} />
      <div className="grid-2">
        <CountryField value={values.country} error={errors.country} onChange={(e) => set('country', e.target.value)} />
        <Field label="VAT ID (optional)" value={values.vatId} error={errors.vatId} autoComplete="off" spellCheck={false}
          maxLength={VAT_ID_LENGTH} hint="Checked against its country's rules, e.g. DE136695976"
          onChange={(e) => set('vatId', e.target.value.toUpperCase())} />
      </div>
      <div className="grid-2">
        <Field label="E-mail for invoices (optional)" type="email" value={values.email} error={errors.email} autoComplete="email"
          maxLength={EMAIL_LENGTH} hint="Printed on them, for your buyers' questions" onChange={(e) => set('email', e.target.value)} />
        <Field label="Invoice number prefix" value={values.prefix} error={errors.prefix} autoComplete="off" spellCheck={false}
          maxLength={PREFIX_LENGTH} placeholder="JN-"
          hint={<>Each number is the prefix, then five digits: <span className="invoice-number">
            {invoiceNumber(values.prefix.trim().toUpperCase() || 'JN-', 1)}</span></>}
          onChange={(e) => set('prefix', e.target.value.toUpperCase())} />
      </div>
      <p className="muted seller-form__note">Invoices issued keep the details they were issued with; new ones name these.</p>
      {save.error ? <ErrorMessage error={save.error} title="Not saved" problems={elsewhere} /> : null}
      {save.isSuccess && <Notice tone="success"><span data-testid="seller-saved">Saved: your invoices name these details from now on.</span></Notice>}
      <button type="submit" className="btn" disabled={save.isPending}>{save.isPending ? 'Saving…' : 'Save the details'}</button>
    </form>
  );
}

/** An organizer's seller's details, which their invoices name (setting them lets buyers ask for invoices), with how
 * far their numbering is. */
export function SellerForm() {
  const seller = useMySeller();
  if (seller.isPending) return <Spinner label="Loading your seller's details" />;
  if (seller.isError) return <ErrorMessage error={seller.error} onRetry={() => void seller.refetch()} />;
  return <Form seller={seller.data} />;
}

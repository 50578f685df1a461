import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';

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
  const { t } = useTranslation('invoicing');
  const issued = seller.invoices_issued;
  return (
    <p className="seller-numbering" data-testid="invoice-numbering">
      {issued === 0
        ? <Trans t={t} i18nKey="seller.first" values={{ number: invoiceNumber(seller.prefix, 1) }}
          components={{ number: <strong className="invoice-number" /> }} />
        : <Trans t={t} i18nKey="seller.next" values={{ issued, number: invoiceNumber(seller.prefix, issued + 1) }}
          components={{ strong: <strong />, number: <strong className="invoice-number" /> }} />}
    </p>
  );
}

function Form({ seller }: { seller: Seller | null }) {
  const { t } = useTranslation('invoicing');
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
    <form className="form seller-form" onSubmit={submit} noValidate aria-label={t('seller.form')}>
      {current ? <Numbering seller={current} /> : (
        <Notice>
          <span data-testid="no-seller">{t('seller.none')}</span>
        </Notice>
      )}
      <Field label={t('seller.name')} value={values.name} error={errors.name} autoComplete="organization" maxLength={NAME_LENGTH}
        hint={t('seller.nameHint')} onChange={(e) => set('name', e.target.value)} />
      <TextAreaField label={t('seller.address')} rows={3} value={values.address} error={errors.address} autoComplete="street-address"
        maxLength={ADDRESS_LENGTH} hint={t('seller.addressHint')} onChange={(e) => set('address', e.target.value)} />
      <div className="grid-2">
        <CountryField value={values.country} error={errors.country} onChange={(e) => set('country', e.target.value)} />
        <Field label={t('seller.vatId')} value={values.vatId} error={errors.vatId} autoComplete="off" spellCheck={false}
          maxLength={VAT_ID_LENGTH} hint={t('seller.vatIdHint')}
          onChange={(e) => set('vatId', e.target.value.toUpperCase())} />
      </div>
      <div className="grid-2">
        <Field label={t('seller.email')} type="email" value={values.email} error={errors.email} autoComplete="email"
          maxLength={EMAIL_LENGTH} hint={t('seller.emailHint')} onChange={(e) => set('email', e.target.value)} />
        <Field label={t('seller.prefix')} value={values.prefix} error={errors.prefix} autoComplete="off" spellCheck={false}
          maxLength={PREFIX_LENGTH} placeholder="JN-"
          hint={<Trans t={t} i18nKey="seller.prefixHint" values={{ number: invoiceNumber(values.prefix.trim().toUpperCase() || 'JN-', 1) }}
            components={{ number: <span className="invoice-number" /> }} />}
          onChange={(e) => set('prefix', e.target.value.toUpperCase())} />
      </div>
      <p className="muted seller-form__note">{t('seller.note')}</p>
      {save.error ? <ErrorMessage error={save.error} title={t('organizer:eventForm.notSaved')} problems={elsewhere} /> : null}
      {save.isSuccess && <Notice tone="success"><span data-testid="seller-saved">{t('seller.saved')}</span></Notice>}
      <button type="submit" className="btn" disabled={save.isPending}>{save.isPending ? t('organizer:eventForm.saving') : t('seller.save')}</button>
    </form>
  );
}

/** An organizer's seller's details, which their invoices name (setting them lets buyers ask for invoices), with how
 * far their numbering is. */
export function SellerForm() {
  const { t } = useTranslation('invoicing');
  const seller = useMySeller();
  if (seller.isPending) return <Spinner label={t('seller.loading')} />;
  if (seller.isError) return <ErrorMessage error={seller.error} onRetry={() => void seller.refetch()} />;
  return <Form seller={seller.data} />;
}

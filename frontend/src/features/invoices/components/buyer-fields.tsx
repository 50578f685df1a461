import { useTranslation } from 'react-i18next';
import { Field, TextAreaField } from '@/components/ui/field';

import { CountryField } from './country-field';
import { ADDRESS_LENGTH, type BuyerValues, NAME_LENGTH, VAT_ID_LENGTH } from './party-details';

interface Props {
  values: BuyerValues;
  errors: Record<string, string>;
  onChange: <K extends keyof BuyerValues>(key: K, value: BuyerValues[K]) => void;
  /** Each field's id, for the form to focus the one to correct. */
  fieldId: (key: keyof BuyerValues) => string;
}

/** Who an invoice is made out to: a person, their company if any, the address and country, a VAT ID if any. */
export function BuyerFields({ values, errors, onChange, fieldId }: Props) {
  const { t } = useTranslation('checkout');
  return (
    <>
      <Field label={t('invoice.name')} value={values.name} error={errors.name} autoComplete="name" maxLength={NAME_LENGTH}
        id={fieldId('name')} onChange={(e) => onChange('name', e.target.value)} />
      <Field label={t('invoice.company')} value={values.company} error={errors.company} autoComplete="organization"
        maxLength={NAME_LENGTH} hint={t('invoice.companyHint')}
        id={fieldId('company')} onChange={(e) => onChange('company', e.target.value)} />
      <TextAreaField label={t('invoice.address')} rows={3} value={values.address} error={errors.address} autoComplete="street-address"
        maxLength={ADDRESS_LENGTH} hint={t('invoice.addressHint')}
        id={fieldId('address')} onChange={(e) => onChange('address', e.target.value)} />
      <CountryField value={values.country} error={errors.country}
        id={fieldId('country')} onChange={(e) => onChange('country', e.target.value)} />
      <Field label={t('invoice.vatId')} value={values.vatId} error={errors.vatId} autoComplete="off" spellCheck={false}
        maxLength={VAT_ID_LENGTH} hint={t('invoice.vatIdHint')}
        id={fieldId('vatId')} onChange={(e) => onChange('vatId', e.target.value.toUpperCase())} />
    </>
  );
}

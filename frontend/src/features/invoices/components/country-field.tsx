import { useTranslation } from 'react-i18next';
import { useMemo, type SelectHTMLAttributes } from 'react';

import { SelectField } from '@/components/ui/field';
import { formattingLocale } from '@/lib/i18n';

import { countries } from './countries';

interface Props extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'children'> {
  label?: string;
  error?: string;
  hint?: string;
}

/** A country chosen by its name (typing its first letters finds it); the value is its ISO code. */
export function CountryField({ label, value, ...select }: Props) {
  const { t } = useTranslation('checkout');
  const language = formattingLocale();
  // Made once per language: a form redrawn as its other fields are typed in leaves these as they are.
  const options = useMemo(() => countries(language).map((c) => <option key={c.code} value={c.code}>{c.name}</option>), [language]);
  return (
    <SelectField label={label ?? t('invoice.country')} value={value} autoComplete="country" {...select}>
      {!value && <option value="">{t('invoice.chooseCountryOption')}</option>}
      {options}
    </SelectField>
  );
}

import { useMemo, type SelectHTMLAttributes } from 'react';

import { SelectField } from '@/components/ui/field';

import { countries } from './countries';

interface Props extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'children'> {
  label?: string;
  error?: string;
  hint?: string;
}

/** A country chosen by its name (typing its first letters finds it); the value is its ISO code. */
export function CountryField({ label = 'Country', value, ...select }: Props) {
  // Made once: a form redrawn as its other fields are typed in leaves these as they are.
  const options = useMemo(() => countries().map((c) => <option key={c.code} value={c.code}>{c.name}</option>), []);
  return (
    <SelectField label={label} value={value} autoComplete="country" {...select}>
      {!value && <option value="">Choose a country</option>}
      {options}
    </SelectField>
  );
}

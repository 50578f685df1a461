import { useId, useState } from 'react';

import { useAuth } from '@/lib/auth';
import { fieldProblems, useApiFieldErrors } from '@/lib/field-errors';

import { readersCountry } from './countries';
import { type BuyerValues, buyerFormKey, newBuyer, validateBuyer } from './party-details';

/** A buyer's details being filled in: the signed-in buyer's name and likely country to start from, each field's error
 * (the form's own checks, then the API's refusal of `error` at its field), and the first wrong field focused. */
export function useBuyerForm(error: unknown) {
  const { user } = useAuth();
  const id = useId();
  const [values, setValues] = useState<BuyerValues>(() => newBuyer(user?.name ?? '', readersCountry()));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const elsewhere = useApiFieldErrors(error, buyerFormKey, setErrors);
  const fieldId = (key: keyof BuyerValues) => `${id}-${key}`;
  const focus = (key: string | undefined) => {
    if (key) document.getElementById(`${id}-${key}`)?.focus();
  };
  const set = <K extends keyof BuyerValues>(key: K, value: BuyerValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _, ...rest }) => rest); // an edited field's error goes away
  };
  /** The form's own checks: true when the details may be sent, else the first wrong field has the focus. */
  const check = (): boolean => {
    const found = validateBuyer(values);
    setErrors(found);
    focus(Object.keys(found)[0]);
    return Object.keys(found).length === 0;
  };
  /** After the API refused them: the field it named has the focus. */
  const refused = (refusal: unknown) => {
    const path = fieldProblems(refusal).find((problem) => buyerFormKey(problem.path))?.path;
    focus(path ? buyerFormKey(path) : undefined);
  };
  return { values, errors, elsewhere, set, check, refused, fieldId };
}

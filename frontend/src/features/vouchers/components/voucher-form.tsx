import { useId, useState, type FormEvent } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import { Field, SelectField } from '@/components/ui/field';
import { useApiFieldErrors } from '@/lib/field-errors';
import { serverNow } from '@/lib/server-clock';
import type { Discount } from '@/lib/vouchers';

import { useCreateVouchers } from '../api/create-vouchers';
import { MAX_BATCH, NEW_VOUCHER, toVoucherIn, validateVoucher, type VoucherEvent, voucherFormKey, type VoucherValues } from './voucher-terms';
import { VouchersMade } from './vouchers-made';

const DISCOUNTS: { value: Discount; label: string }[] = [
  { value: 'percent', label: 'A percentage off' },
  { value: 'amount_off', label: 'An amount off each ticket' },
  { value: 'set_price', label: 'A set price for each ticket' },
];

function valueLabel(discount: Discount, currency: string): { label: string; hint: string } {
  if (discount === 'percent') return { label: 'Percent off', hint: 'More than 0, at most 100' };
  if (discount === 'amount_off') return { label: `Amount off (${currency})`, hint: 'Taken off each ticket it applies to' };
  return { label: `Price (${currency})`, hint: 'What each ticket costs with it; 0 makes it free' };
}

/** Make one voucher by its code, or a batch of random codes, on the same terms: the discount, how many tickets it may
 * be used for in all, when (in the venue's time), which categories, and a label for the organizers. */
export function VoucherForm({ eventId, event }: { eventId: string; event: VoucherEvent }) {
  const create = useCreateVouchers(eventId);
  const id = useId();
  const [values, setValues] = useState<VoucherValues>(NEW_VOUCHER);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const elsewhere = useApiFieldErrors(create.error, (path) => voucherFormKey(path, values.mode), setErrors);
  const set = <K extends keyof VoucherValues>(key: K, value: VoucherValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _, ...rest }) => rest); // an edited field's error goes away
  };
  const tick = (name: string, on: boolean) =>
    set('categories', event.categories.map((c) => c.name).filter((n) => (n === name ? on : values.categories.includes(n))));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validateVoucher(values, event, serverNow()); // the server's rule, by its clock
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(toVoucherIn(values, event.timezone), { onSuccess: () => setValues({ ...NEW_VOUCHER, mode: values.mode }) });
  };
  const value = valueLabel(values.discount, event.currency);
  const venueTime = `The venue's time (${event.timezone})`;

  return (
    <form className="form voucher-form" onSubmit={submit} noValidate aria-label="New voucher">
      <fieldset className="choices">
        <legend>Make</legend>
        {(['code', 'batch'] as const).map((mode) => (
          <label key={mode} className="choices__choice" htmlFor={`${id}-${mode}`}>
            <input type="radio" id={`${id}-${mode}`} name={`${id}-mode`} checked={values.mode === mode}
              onChange={() => { set('mode', mode); create.reset(); }} />
            {' '}{mode === 'code' ? 'One code' : 'A batch of random codes'}
          </label>
        ))}
      </fieldset>
      {values.mode === 'code' ? (
        <Field label="Code" value={values.code} error={errors.code} autoComplete="off" spellCheck={false}
          hint="4 to 32 letters, digits, - or _; buyers may type it in any case" onChange={(e) => set('code', e.target.value.toUpperCase())} />
      ) : (
        <div className="grid-2">
          <Field label="How many codes" inputMode="numeric" value={values.count} error={errors.count}
            hint={`Up to ${MAX_BATCH}, each made up at random`} onChange={(e) => set('count', e.target.value)} />
          <Field label="Prefix (optional)" value={values.prefix} error={errors.prefix} autoComplete="off" spellCheck={false}
            placeholder="PRESS-" hint="What each code starts with" onChange={(e) => set('prefix', e.target.value.toUpperCase())} />
        </div>
      )}
      <div className="grid-2">
        <SelectField label="Discount" value={values.discount} error={errors.discount}
          onChange={(e) => set('discount', e.target.value as Discount)}>
          {DISCOUNTS.map((d) => <option key={d.value} value={d.value}>{d.label}</option>)}
        </SelectField>
        <Field label={value.label} inputMode="decimal" value={values.value} error={errors.value} hint={value.hint}
          onChange={(e) => set('value', e.target.value)} />
      </div>
      <Field label={values.mode === 'code' ? 'Tickets it may be used for' : 'Tickets each code may be used for'} inputMode="numeric"
        value={values.maxUses} error={errors.maxUses} hint="In all, whoever books: each ticket booked with it uses it once"
        onChange={(e) => set('maxUses', e.target.value)} />
      <div className="grid-2">
        <Field label="Valid from (optional)" type="datetime-local" value={values.validFrom} error={errors.validFrom}
          hint={venueTime} onChange={(e) => set('validFrom', e.target.value)} />
        <Field label="Valid until (optional)" type="datetime-local" value={values.validUntil} error={errors.validUntil}
          hint={venueTime} onChange={(e) => set('validUntil', e.target.value)} />
      </div>
      <fieldset className="choices" aria-describedby={errors.categories ? `${id}-categories-error` : `${id}-categories-hint`}>
        <legend>Applies to</legend>
        {event.categories.map((c) => (
          <label key={c.name} className="choices__choice" htmlFor={`${id}-category-${c.name}`}>
            <input type="checkbox" id={`${id}-category-${c.name}`} checked={values.categories.includes(c.name)}
              onChange={(e) => tick(c.name, e.target.checked)} />
            {' '}{c.name}
          </label>
        ))}
        {errors.categories
          ? <small id={`${id}-categories-error`} className="field__error choices__note">{errors.categories}</small>
          : <small id={`${id}-categories-hint`} className="field__hint choices__note">None ticked: every category.</small>}
      </fieldset>
      <Field label="Label (optional)" value={values.label} error={errors.label} maxLength={120}
        hint="For your team, e.g. press or early birds; buyers never see it" onChange={(e) => set('label', e.target.value)} />
      <div className="choice">
        <label htmlFor={`${id}-reserve`}>
          <input type="checkbox" id={`${id}-reserve`} checked={values.reserve} aria-describedby={`${id}-reserve-hint`}
            onChange={(e) => set('reserve', e.target.checked)} />
          {' '}Reserve its seats
        </label>
        {/* Beside the label, not in it: the checkbox's name stays "Reserve its seats". */}
        <small id={`${id}-reserve-hint`} className="field__hint">
          {' '}Its uses’ seats of its one category stay off general sale for its holders, until used or the voucher is disabled.
        </small>
      </div>
      {create.error ? <ErrorMessage error={create.error} title="Not made" problems={elsewhere} /> : null}
      {create.data && (
        <VouchersMade eventId={eventId} made={create.data.vouchers} currency={event.currency} batch={create.data.position} />
      )}
      <button type="submit" className="btn" disabled={create.isPending}>
        {create.isPending ? 'Making…' : values.mode === 'code' ? 'Make the voucher' : 'Make the codes'}
      </button>
    </form>
  );
}

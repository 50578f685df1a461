import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '@/components/ui/feedback';
import { Field, SelectField } from '@/components/ui/field';
import { useApiFieldErrors } from '@/lib/field-errors';
import { i18n } from '@/lib/i18n';
import { serverNow } from '@/lib/server-clock';
import type { Discount } from '@/lib/vouchers';

import { useCreateVouchers } from '../api/create-vouchers';
import { MAX_BATCH, NEW_VOUCHER, toVoucherIn, validateVoucher, type VoucherEvent, voucherFormKey, type VoucherValues } from './voucher-terms';
import { VouchersMade } from './vouchers-made';

// Each discount offered, by the key of its words in vouchers:form.discounts.
const DISCOUNTS: { value: Discount; key: string }[] = [
  { value: 'percent', key: 'percent' },
  { value: 'amount_off', key: 'amountOff' },
  { value: 'set_price', key: 'setPrice' },
];

function valueLabel(discount: Discount, currency: string): { label: string; hint: string } {
  const say = (key: string) => i18n.t(`vouchers:form.value.${key}`, { currency });
  if (discount === 'percent') return { label: say('percent'), hint: say('percentHint') };
  if (discount === 'amount_off') return { label: say('amountOff'), hint: say('amountOffHint') };
  return { label: say('setPrice'), hint: say('setPriceHint') };
}

/** Make one voucher by its code, or a batch of random codes, on the same terms: the discount, how many tickets it may
 * be used for in all, when (in the venue's time), which categories, and a label for the organizers. */
export function VoucherForm({ eventId, event }: { eventId: string; event: VoucherEvent }) {
  const { t } = useTranslation('vouchers');
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
  const venueTime = t('form.venueTime', { zone: event.timezone });

  return (
    <form className="form voucher-form" onSubmit={submit} noValidate aria-label={t('form.title')}>
      <fieldset className="choices">
        <legend>{t('form.make')}</legend>
        {(['code', 'batch'] as const).map((mode) => (
          <label key={mode} className="choices__choice" htmlFor={`${id}-${mode}`}>
            <input type="radio" id={`${id}-${mode}`} name={`${id}-mode`} checked={values.mode === mode}
              onChange={() => { set('mode', mode); create.reset(); }} />
            {' '}{mode === 'code' ? t('form.oneCode') : t('form.batch')}
          </label>
        ))}
      </fieldset>
      {values.mode === 'code' ? (
        <Field label={t('form.code')} value={values.code} error={errors.code} autoComplete="off" spellCheck={false}
          hint={t('form.codeHint')} onChange={(e) => set('code', e.target.value.toUpperCase())} />
      ) : (
        <div className="grid-2">
          <Field label={t('form.count')} inputMode="numeric" value={values.count} error={errors.count}
            hint={t('form.countHint', { max: MAX_BATCH })} onChange={(e) => set('count', e.target.value)} />
          <Field label={t('form.prefix')} value={values.prefix} error={errors.prefix} autoComplete="off" spellCheck={false}
            placeholder={t('form.prefixPlaceholder')} hint={t('form.prefixHint')} onChange={(e) => set('prefix', e.target.value.toUpperCase())} />
        </div>
      )}
      <div className="grid-2">
        <SelectField label={t('form.discount')} value={values.discount} error={errors.discount}
          onChange={(e) => set('discount', e.target.value as Discount)}>
          {DISCOUNTS.map((d) => <option key={d.value} value={d.value}>{t(`form.discounts.${d.key}`)}</option>)}
        </SelectField>
        <Field label={value.label} inputMode="decimal" value={values.value} error={errors.value} hint={value.hint}
          onChange={(e) => set('value', e.target.value)} />
      </div>
      <Field label={values.mode === 'code' ? t('form.maxUses') : t('form.maxUsesEach')} inputMode="numeric"
        value={values.maxUses} error={errors.maxUses} hint={t('form.maxUsesHint')}
        onChange={(e) => set('maxUses', e.target.value)} />
      <div className="grid-2">
        <Field label={t('form.validFrom')} type="datetime-local" value={values.validFrom} error={errors.validFrom}
          hint={venueTime} onChange={(e) => set('validFrom', e.target.value)} />
        <Field label={t('form.validUntil')} type="datetime-local" value={values.validUntil} error={errors.validUntil}
          hint={venueTime} onChange={(e) => set('validUntil', e.target.value)} />
      </div>
      <fieldset className="choices" aria-describedby={errors.categories ? `${id}-categories-error` : `${id}-categories-hint`}>
        <legend>{t('form.appliesTo')}</legend>
        {event.categories.map((c) => (
          <label key={c.name} className="choices__choice" htmlFor={`${id}-category-${c.name}`}>
            <input type="checkbox" id={`${id}-category-${c.name}`} checked={values.categories.includes(c.name)}
              onChange={(e) => tick(c.name, e.target.checked)} />
            {' '}{c.name}
          </label>
        ))}
        {errors.categories
          ? <small id={`${id}-categories-error`} className="field__error choices__note">{errors.categories}</small>
          : <small id={`${id}-categories-hint`} className="field__hint choices__note">{t('form.noneTicked')}</small>}
      </fieldset>
      <Field label={t('form.label')} value={values.label} error={errors.label} maxLength={120}
        hint={t('form.labelHint')} onChange={(e) => set('label', e.target.value)} />
      <div className="choice">
        <label htmlFor={`${id}-reserve`}>
          <input type="checkbox" id={`${id}-reserve`} checked={values.reserve} aria-describedby={`${id}-reserve-hint`}
            onChange={(e) => set('reserve', e.target.checked)} />
          {' '}{t('form.reserve')}
        </label>
        {/* Beside the label, not in it: the checkbox's name stays "Reserve its seats". */}
        <small id={`${id}-reserve-hint`} className="field__hint">
          {' '}{t('form.reserveHint')}
        </small>
      </div>
      {create.error ? <ErrorMessage error={create.error} title={t('form.notMade')} problems={elsewhere} /> : null}
      {create.data && (
        <VouchersMade eventId={eventId} made={create.data.vouchers} currency={event.currency} batch={create.data.position} />
      )}
      <button type="submit" className="btn" disabled={create.isPending}>
        {create.isPending ? t('form.making') : values.mode === 'code' ? t('form.makeVoucher') : t('form.makeCodes')}
      </button>
    </form>
  );
}

import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '@/components/ui/feedback';
import { Field, TextAreaField } from '@/components/ui/field';
import { useApiFieldErrors } from '@/lib/field-errors';
import { fromZonedInput, offsetLabel, timeZones, toLocalInput, toZonedInput, viewerZone, zoneCity } from '@/lib/format';
import { i18n } from '@/lib/i18n';
import { serverNow } from '@/lib/server-clock';
import type { Category, LedgerEvent, PaymentMethod } from '@/types/api';

import type { CategoryInput, EventInput } from '../api/events';
import { TaxRules } from './tax-rules';
import { renameTaxed, taxFormKey, taxRows, toTaxInput, validateTaxes, type TaxRow } from './tax-terms';
import { TimeZonePicker } from './time-zone-picker';
import { EventTranslations, toTranslationsInput, translationRows, TRANSLATED, type TranslationRows } from './event-translations';

// The form's values are what its inputs hold, text before it is checked and parsed, so they are not the
// API's types: toInput() turns them into an EventInput. A category row keeps CategoryIn's field names.
export type CategoryRow = { [Field in Exclude<keyof CategoryInput, 'hidden'>]: string }
  & { hidden: boolean; sold: Category['sold']; existing: boolean };
export interface EventValues {
  name: string; description: string; venue: string; timezone: string; startsAt: string; endsAt: string;
  currency: string; maxPerUser: string; holdMinutes: string; categories: CategoryRow[];
  /** The payment methods chosen, by name; null while untouched: every method the server has, now and later. */
  paymentMethods: string[] | null;
  /** The tax rules; `taxesChanged` false while the organizer has not touched them (sent as null: as they are). */
  taxes: TaxRow[]; taxesChanged: boolean;
  /** The name and description per language the form offers (empty: none given), and those of any other language
   * the event has, kept as they are. */
  translations: TranslationRows;
}

// The checkout hold is typed in whole minutes, 1 to 60: the API takes 5 to 3600 seconds, but no
// buyer checks out in under a minute, so its 5 s minimum serves tests, not organizers. A length set
// outside this form that is not whole minutes (the e2e specs' 5 s) shows as seconds, "5 s", and
// reads back as such within the API's 5 to 3600, so saving other changes does not alter it.
const DEFAULT_HOLD_MINUTES = 10; // the API's 600 s when hold_seconds is null

/** The field's text for a hold length in seconds ('' for null: the default). */
export function holdText(seconds: number | null | undefined): string {
  if (seconds == null) return '';
  return seconds % 60 === 0 ? String(seconds / 60) : `${seconds} s`;
}

/** The hold length in seconds the field says: null when empty (the default), undefined when out of bounds. */
export function holdSeconds(text: string): number | null | undefined {
  const t = text.trim();
  if (!t) return null;
  if (/^\d+$/.test(t)) return Number(t) >= 1 && Number(t) <= 60 ? Number(t) * 60 : undefined;
  const seconds = /^(\d+)\s*s$/i.exec(t);
  if (seconds) return Number(seconds[1]) >= 5 && Number(seconds[1]) <= 3600 ? Number(seconds[1]) : undefined;
  return undefined;
}

export function initialValues(event?: LedgerEvent): EventValues {
  if (!event) {
    const start = new Date(Date.now() + 14 * 86_400_000);
    start.setHours(20, 0, 0, 0);
    // The browser's zone is offered as the new venue's, and the field says so (zoneHint) until another is picked.
    return {
      name: '', description: '', venue: '', timezone: viewerZone(), startsAt: toLocalInput(start), endsAt: '', currency: 'EUR', maxPerUser: '', holdMinutes: '',
      categories: [{ name: i18n.t('organizer:eventForm.general'), price: '', capacity: '', hidden: false, sold: 0, existing: false }],
      paymentMethods: null, taxes: [], taxesChanged: false, translations: translationRows(),
    };
  }
  return {
    name: event.name, description: event.description, venue: event.venue, timezone: event.timezone,
    // Times are typed as the venue's clocks read them, wherever the organizer is.
    startsAt: toZonedInput(event.starts_at, event.timezone), endsAt: event.ends_at ? toZonedInput(event.ends_at, event.timezone) : '',
    currency: event.currency, maxPerUser: event.max_tickets_per_user?.toString() ?? '',
    holdMinutes: holdText(event.hold_seconds),
    categories: event.categories.map((c) => ({
      name: c.name, price: c.price, capacity: String(c.capacity), hidden: c.hidden, sold: c.sold, existing: true,
    })),
    paymentMethods: event.payment_methods ?? null,
    taxes: taxRows(event), taxesChanged: false, translations: translationRows(event),
  };
}

/** Field errors (keys like `name`, `categories.1.price`); empty when the form can be sent. */
export function validateEvent(v: EventValues, now = new Date(serverNow()), creating = true): Record<string, string> {
  const errors: Record<string, string> = {};
  const say = (key: string, values?: Record<string, unknown>) => i18n.t(`organizer:eventForm.errors.${key}`, values);
  if (!v.name.trim()) errors.name = say('name');
  if (!timeZones().includes(v.timezone)) errors.timezone = say('timezone');
  // A start typed in full is the start's; without a known zone it names no moment yet, and the zone's field says why.
  const start = zonedDate(v.startsAt, v.timezone);
  if (!DATE_TIME.test(v.startsAt)) errors.startsAt = say('startsAt');
  else if (!errors.timezone && creating && start <= now) errors.startsAt = say('startsPast');
  if (v.endsAt && !errors.startsAt && !errors.timezone && zonedDate(v.endsAt, v.timezone) <= start) errors.endsAt = say('endsAt');
  if (!/^[A-Za-z]{3}$/.test(v.currency)) errors.currency = say('currency');
  if (v.maxPerUser && !/^[1-9]\d*$/.test(v.maxPerUser)) errors.maxPerUser = say('maxPerUser');
  if (holdSeconds(v.holdMinutes) === undefined) errors.holdMinutes = say('hold', { minutes: DEFAULT_HOLD_MINUTES });
  if (v.categories.length === 0) errors.categories = say('categories');
  if (v.paymentMethods?.length === 0) errors.paymentMethods = say('paymentMethods');
  const seen = new Set<string>();
  v.categories.forEach((c, i) => {
    const name = c.name.trim().toLowerCase();
    if (!name) errors[`categories.${i}.name`] = say('categoryName');
    else if (seen.has(name)) errors[`categories.${i}.name`] = say('categoryTwice');
    seen.add(name);
    if (!/^\d+(\.\d{1,2})?$/.test(c.price.trim())) errors[`categories.${i}.price`] = say('price');
    if (!/^\d+$/.test(c.capacity.trim()) || Number(c.capacity) < (c.existing ? 0 : 1)) {
      errors[`categories.${i}.capacity`] = say('capacity');
    } else if (Number(c.capacity) < c.sold) {
      errors[`categories.${i}.capacity`] = say('belowSold', { count: c.sold });
    }
  });
  return { ...errors, ...validateTaxes(v.taxes, categoryNames(v)) };
}

/** The names the form's categories have now (trimmed; unnamed ones left out). */
const categoryNames = (v: EventValues) => v.categories.map((c) => c.name.trim()).filter(Boolean);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** The moment a datetime-local value names in the venue's zone (an invalid date when it names none). */
function zonedDate(value: string, zone: string): Date {
  if (!DATE_TIME.test(value) || !zone) return new Date(NaN);
  try {
    return new Date(fromZonedInput(value, zone));
  } catch {
    return new Date(NaN); // a zone this browser does not know
  }
}

/** What the zone's field says under it: on a new event whose zone is still the browser's, that it is, as a question. */
export function zoneHint(zone: string, creating: boolean, browser = viewerZone(), now = new Date()): string {
  if (!timeZones().includes(zone)) return i18n.t('organizer:eventForm.zone.unknown');
  if (creating && zone === browser) return i18n.t('organizer:eventForm.zone.browser', { zone, offset: offsetLabel(now, zone) });
  const city = zoneCity(zone);
  return city ? i18n.t('organizer:eventForm.zone.venueIn', { city, offset: offsetLabel(now, zone) })
    : i18n.t('organizer:eventForm.zone.venue', { offset: offsetLabel(now, zone) });
}

/** The API's body; `published` false saves a draft (on an update the editor leaves it out). */
export function toInput(v: EventValues, published = true): EventInput {
  return {
    name: v.name.trim(), description: v.description.trim(), venue: v.venue.trim(), timezone: v.timezone, published,
    starts_at: fromZonedInput(v.startsAt, v.timezone), ends_at: v.endsAt ? fromZonedInput(v.endsAt, v.timezone) : null,
    currency: v.currency.toUpperCase(), max_tickets_per_user: v.maxPerUser ? Number(v.maxPerUser) : null,
    // null, not omitted, when empty: on an update (PUT) an omitted field stays as it is, null
    // restores the default, as clearing the field means.
    hold_seconds: holdSeconds(v.holdMinutes) ?? null,
    categories: v.categories.map((c) => ({
      name: c.name.trim(), price: c.price.trim(), capacity: Number(c.capacity), hidden: c.hidden,
    })),
    // null when untouched: on create every method (now and later), on an update as they are.
    payment_methods: v.paymentMethods,
    // null while untouched: on create none, on an update as they are; [] removes them all.
    taxes: v.taxesChanged ? toTaxInput(v.taxes, categoryNames(v)) : null,
    // Every language's at once, as the form shows them pre-filled: on an update they replace those given before.
    translations: toTranslationsInput(v.translations),
  };
}

// The API names a body's fields as EventCreate does; the form's keys are validateEvent's.
const FORM_KEYS: Record<string, string> = {
  name: 'name', description: 'description', venue: 'venue', timezone: 'timezone', starts_at: 'startsAt', ends_at: 'endsAt',
  currency: 'currency', max_tickets_per_user: 'maxPerUser', hold_seconds: 'holdMinutes', categories: 'categories',
  payment_methods: 'paymentMethods',
};

/** The form's key for a path into the API's body (`categories.1.price` as it is); undefined for none of its fields. */
export function eventFormKey(path: string): string | undefined {
  const [field, row, part] = path.split('.');
  if (field === 'categories' && row !== undefined && ['name', 'price', 'capacity'].includes(part ?? '')) return path;
  if (field === 'taxes') return taxFormKey(path);
  if (field === 'translations') return TRANSLATED.includes(row as never) && ['name', 'description'].includes(part ?? '') ? path : undefined;
  return FORM_KEYS[field];
}

interface Props {
  event?: LedgerEvent; busy: boolean; error: unknown; onSubmit: (input: EventInput) => void;
  /** The payment methods the server has, offered as checkboxes (none: no choice shown, every one accepted). */
  methods?: PaymentMethod[];
}

export function EventForm({ event, busy, error, onSubmit, methods = [] }: Props) {
  const { t } = useTranslation('organizer');
  const [values, setValues] = useState(() => initialValues(event));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const elsewhere = useApiFieldErrors(error, eventFormKey, setErrors);
  const set = <K extends keyof EventValues>(key: K, value: EventValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _, ...rest }) => rest); // an edited field's error goes away
  };
  const setCategory = (i: number, patch: Partial<CategoryRow>) => {
    set('categories', values.categories.map((c, j) => (j === i ? { ...c, ...patch } : c)));
    setErrors((found) => Object.fromEntries(Object.entries(found).filter(([k]) => !k.startsWith(`categories.${i}.`))));
    // The taxes tick categories by name: a category renamed stays ticked under its new name.
    if (patch.name !== undefined) renameCategory(values.categories[i].name.trim(), patch.name.trim());
  };
  const removeCategory = (i: number) => {
    set('categories', values.categories.filter((_, j) => j !== i));
    renameCategory(values.categories[i].name.trim(), '');
  };
  const renameCategory = (from: string, to: string) => {
    if (!from || !values.taxes.some((t) => t.categories.includes(from))) return;
    setValues((v) => ({ ...v, taxes: renameTaxed(v.taxes, from, to), taxesChanged: true }));
  };
  const setTranslations = (translations: TranslationRows, edited: string) => {
    setValues((v) => ({ ...v, translations }));
    setErrors(({ [edited]: _, ...rest }) => rest);
  };
  const setTaxes = (taxes: TaxRow[], row?: number) => {
    setValues((v) => ({ ...v, taxes, taxesChanged: true }));
    const edited = row === undefined ? 'taxes' : `taxes.${row}.`;
    setErrors((found) => Object.fromEntries(Object.entries(found).filter(([k]) => k !== 'taxes' && !k.startsWith(edited))));
  };

  const send = (published: boolean) => {
    const found = validateEvent(values, new Date(serverNow()), !event); // the server's rule, by its clock
    setErrors(found);
    if (Object.keys(found).length === 0) onSubmit(toInput(values, published));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send(true);
  };
  const registered = methods;
  // Untouched, the server's default is ticked: what an event that never chose accepts.
  const ticked = (name: string) => (values.paymentMethods === null
    ? registered.some((m) => m.name === name && m.by_default)
    : values.paymentMethods.includes(name));
  const tick = (name: string, on: boolean) => {
    const now = registered.map((m) => m.name).filter((n) => (n === name ? on : ticked(n)));
    set('paymentMethods', now);
  };

  return (
    <form className="form event-form" onSubmit={submit} noValidate aria-label={event ? t('eventForm.edit') : t('eventForm.create')}>
      <div className="grid-2">
        <Field label={t('eventForm.name')} value={values.name} error={errors.name} onChange={(e) => set('name', e.target.value)} required />
        <Field label={t('eventForm.venue')} value={values.venue} onChange={(e) => set('venue', e.target.value)} />
      </div>
      <TimeZonePicker label={t('eventForm.timezone')} value={values.timezone} error={errors.timezone}
        hint={zoneHint(values.timezone, !event)} onChange={(zone) => set('timezone', zone)} />
      <TextAreaField id="event-description" label={t('eventForm.description')} rows={3} value={values.description}
        error={errors.description} onChange={(e) => set('description', e.target.value)} />
      <EventTranslations rows={values.translations} errors={errors} onChange={setTranslations} />
      <div className="grid-4">
        <Field label={t('eventForm.starts')} type="datetime-local" value={values.startsAt} error={errors.startsAt}
          onChange={(e) => set('startsAt', e.target.value)} required />
        <Field label={t('eventForm.ends')} type="datetime-local" value={values.endsAt} error={errors.endsAt}
          onChange={(e) => set('endsAt', e.target.value)} />
        <Field label={t('eventForm.currency')} value={values.currency} error={errors.currency} maxLength={3} disabled={!!event}
          onChange={(e) => set('currency', e.target.value.toUpperCase())} />
        <Field label={t('eventForm.perPerson')} inputMode="numeric" placeholder={t('eventForm.noLimit')} value={values.maxPerUser}
          error={errors.maxPerUser} onChange={(e) => set('maxPerUser', e.target.value)} />
        <Field label={t('eventForm.hold')} inputMode="numeric" placeholder={String(DEFAULT_HOLD_MINUTES)}
          value={values.holdMinutes} error={errors.holdMinutes} hint={t('eventForm.holdHint')}
          onChange={(e) => set('holdMinutes', e.target.value)} />
      </div>
      <fieldset className="categories">
        <legend>{t('eventForm.categories')}</legend>
        {errors.categories && <p className="field__error">{errors.categories}</p>}
        {values.categories.map((c, i) => (
          <div className="category-row" key={i} data-testid="category-row">
            <Field label={t('eventForm.categoryName')} value={c.name} error={errors[`categories.${i}.name`]} disabled={c.existing}
              onChange={(e) => setCategory(i, { name: e.target.value })} />
            <Field label={t('eventForm.price')} inputMode="decimal" value={c.price} error={errors[`categories.${i}.price`]}
              onChange={(e) => setCategory(i, { price: e.target.value })} />
            <Field label={t('eventForm.capacity')} inputMode="numeric" value={c.capacity} error={errors[`categories.${i}.capacity`]}
              hint={c.sold ? t('eventForm.sold', { count: c.sold }) : undefined} onChange={(e) => setCategory(i, { capacity: e.target.value })} />
            <span className="category-row__hidden">
              <label htmlFor={`category-${i}-hidden`}>
                <input type="checkbox" id={`category-${i}-hidden`} checked={c.hidden}
                  aria-describedby={`category-${i}-hidden-hint`}
                  onChange={(e) => setCategory(i, { hidden: e.target.checked })} />
                {' '}{t('eventForm.hidden')}
              </label>
              <small id={`category-${i}-hidden-hint`} className="muted"> {t('eventForm.hiddenHint')}</small>
            </span>
            {!c.existing && values.categories.length > 1 && (
              <button type="button" className="btn btn--ghost btn--small" aria-label={t('eventForm.removeCategory', { name: c.name || i + 1 })}
                onClick={() => removeCategory(i)}>
                {t('eventForm.remove')}
              </button>
            )}
          </div>
        ))}
        <button type="button" className="btn btn--ghost btn--small"
          onClick={() => set('categories', [...values.categories, { name: '', price: '', capacity: '', hidden: false, sold: 0, existing: false }])}>
          {t('eventForm.addCategory')}
        </button>
      </fieldset>
      <TaxRules rows={values.taxes} categories={values.categories.map((c) => ({ name: c.name.trim(), price: c.price }))}
        currency={values.currency} errors={errors} onChange={setTaxes} editing={!!event} />
      {registered.length > 0 && (
        <fieldset className="payment-methods" aria-describedby={errors.paymentMethods ? 'event-payment-methods-error' : undefined}>
          <legend>{t('eventForm.methods')}</legend>
          {registered.map((m) => (
            <label key={m.name} className="payment-methods__choice" htmlFor={`event-method-${m.name}`}>
              <input type="checkbox" id={`event-method-${m.name}`} checked={ticked(m.name)}
                onChange={(e) => tick(m.name, e.target.checked)} />
              {' '}{m.label}
              <small className="muted">{' '}{m.books_seats_first ? t('eventForm.booksFirst') : t('eventForm.paidAtCheckout')}</small>
            </label>
          ))}
          {errors.paymentMethods && <p id="event-payment-methods-error" className="field__error">{errors.paymentMethods}</p>}
        </fieldset>
      )}
      {error ? <ErrorMessage error={error} title={t('eventForm.notSaved')} problems={elsewhere} /> : null}
      {event ? (
        <button type="submit" className="btn" disabled={busy}>{busy ? t('eventForm.saving') : t('eventForm.save')}</button>
      ) : (
        <div className="row">
          <button type="submit" className="btn" disabled={busy}>{busy ? t('eventForm.saving') : t('eventForm.publish')}</button>
          <button type="button" className="btn btn--ghost" disabled={busy} onClick={() => send(false)}>{t('eventForm.saveDraft')}</button>
        </div>
      )}
    </form>
  );
}

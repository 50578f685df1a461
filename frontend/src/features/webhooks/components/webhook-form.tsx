import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '@/components/ui/feedback';
import { Field, SelectField } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { useAuth } from '@/lib/auth';
import { useApiFieldErrors } from '@/lib/field-errors';
import { i18n } from '@/lib/i18n';

import { useCreateWebhook, type WebhookCreated } from '../api/create-webhook';
import { useEventTypes } from '../api/get-event-types';
import { useRunnableEvents } from '../api/get-runnable-events';

interface Values { url: string; eventTypes: string[]; eventId: string; description: string }
const EMPTY: Values = { url: '', eventTypes: [], eventId: '', description: '' };

/** WebhookIn's fields as the form names them: a refused event type ("event_types.2") marks the whole list. */
export function webhookFormKey(path: string): string | undefined {
  const [field] = path.split('.');
  return { url: 'url', event_types: 'eventTypes', event_id: 'eventId', description: 'description' }[field];
}

/** What the API would refuse, said before sending: an address, a type, and an organizer's event. */
export function validateWebhook(values: Values, needsEvent: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  const url = values.url.trim();
  if (!url) errors.url = i18n.t('common:field.required');
  else if (!/^https?:\/\/[^\s/]+/i.test(url)) errors.url = i18n.t('webhooks:form.errors.url');
  if (values.eventTypes.length === 0) errors.eventTypes = i18n.t('webhooks:form.errors.types');
  if (needsEvent && !values.eventId) errors.eventId = i18n.t('webhooks:form.errors.event');
  return errors;
}

/** Register an endpoint: where, which event types, and one event (an organizer's must name one; an admin's may take all). */
export function WebhookForm({ onCreated }: { onCreated: (created: WebhookCreated) => void }) {
  const { t } = useTranslation('webhooks');
  const { hasRole } = useAuth();
  const isAdmin = hasRole('admin');
  const types = useEventTypes();
  const events = useRunnableEvents();
  const create = useCreateWebhook();
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const elsewhere = useApiFieldErrors(create.error, webhookFormKey, setErrors);

  const toggle = (type: string) => setValues((v) => ({
    ...v, eventTypes: v.eventTypes.includes(type) ? v.eventTypes.filter((t) => t !== type) : [...v.eventTypes, type],
  }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validateWebhook(values, !isAdmin);
    setErrors(found);
    if (Object.keys(found).length) return;
    create.mutate(
      {
        url: values.url.trim(), event_types: values.eventTypes, event_id: values.eventId || null,
        description: values.description.trim() || null,
      },
      { onSuccess: (created) => { setValues(EMPTY); onCreated(created); } },
    );
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('register.title')}>
      <Field label={t('form.url')} type="url" placeholder="https://hooks.example.com/ledger" value={values.url} error={errors.url}
        hint={t('form.urlHint')} onChange={(e) => setValues((v) => ({ ...v, url: e.target.value }))} />
      <fieldset className="categories" aria-describedby={errors.eventTypes ? 'event-types-error' : undefined}>
        <legend>{t('form.types')}</legend>
        {types.isPending && <Spinner label={t('form.typesLoading')} />}
        {types.isError && <ErrorMessage error={types.error} onRetry={() => void types.refetch()} />}
        <ul className="checks webhook-types">
          {(types.data ?? []).map((type) => (
            <li key={type}>
              <label><input type="checkbox" checked={values.eventTypes.includes(type)} onChange={() => toggle(type)} /> <code>{type}</code></label>
            </li>
          ))}
        </ul>
        {errors.eventTypes && <small id="event-types-error" className="field__error">{errors.eventTypes}</small>}
      </fieldset>
      <SelectField label={isAdmin ? t('form.eventOptional') : t('form.event')} value={values.eventId} error={errors.eventId}
        onChange={(e) => setValues((v) => ({ ...v, eventId: e.target.value }))}>
        <option value="">{isAdmin ? t('form.everyEvent') : t('form.chooseEvent')}</option>
        {(events.data ?? []).map((event) => <option key={event.id} value={event.id}>{event.name}</option>)}
      </SelectField>
      {events.isError && <ErrorMessage error={events.error} title={t('form.eventsError')} onRetry={() => void events.refetch()} />}
      <Field label={t('form.description')} value={values.description} error={errors.description}
        onChange={(e) => setValues((v) => ({ ...v, description: e.target.value }))} />
      {create.error && <ErrorMessage error={create.error} title={t('form.notRegistered')} problems={elsewhere} />}
      <button type="submit" className="btn" disabled={create.isPending}>{create.isPending ? t('form.registering') : t('form.register')}</button>
    </form>
  );
}

import { useState, type FormEvent } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import { Field, SelectField } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { useAuth } from '@/lib/auth';
import { useApiFieldErrors } from '@/lib/field-errors';

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
  if (!url) errors.url = 'Required';
  else if (!/^https?:\/\/[^\s/]+/i.test(url)) errors.url = 'An http:// or https:// address';
  if (values.eventTypes.length === 0) errors.eventTypes = 'Choose at least one event type';
  if (needsEvent && !values.eventId) errors.eventId = 'Choose one of your events';
  return errors;
}

/** Register an endpoint: where, which event types, and one event (an organizer's must name one; an admin's may take all). */
export function WebhookForm({ onCreated }: { onCreated: (created: WebhookCreated) => void }) {
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
    <form className="form" onSubmit={submit} noValidate aria-label="Register a webhook">
      <Field label="Endpoint URL" type="url" placeholder="https://hooks.example.com/ledger" value={values.url} error={errors.url}
        hint="Its host must resolve to public addresses." onChange={(e) => setValues((v) => ({ ...v, url: e.target.value }))} />
      <fieldset className="categories" aria-describedby={errors.eventTypes ? 'event-types-error' : undefined}>
        <legend>Event types</legend>
        {types.isPending && <Spinner label="Reading the event types" />}
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
      <SelectField label={isAdmin ? 'Event (optional)' : 'Event'} value={values.eventId} error={errors.eventId}
        onChange={(e) => setValues((v) => ({ ...v, eventId: e.target.value }))}>
        <option value="">{isAdmin ? 'Every event' : 'Choose an event'}</option>
        {(events.data ?? []).map((event) => <option key={event.id} value={event.id}>{event.name}</option>)}
      </SelectField>
      {events.isError && <ErrorMessage error={events.error} title="Your events could not be read" onRetry={() => void events.refetch()} />}
      <Field label="Description (optional)" value={values.description} error={errors.description}
        onChange={(e) => setValues((v) => ({ ...v, description: e.target.value }))} />
      {create.error && <ErrorMessage error={create.error} title="Not registered" problems={elsewhere} />}
      <button type="submit" className="btn" disabled={create.isPending}>{create.isPending ? 'Registering…' : 'Register webhook'}</button>
    </form>
  );
}

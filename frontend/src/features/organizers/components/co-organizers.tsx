import { useState } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import { SelectField } from '@/components/ui/field';
import type { LedgerEvent } from '@/types/api';

import { useAddCoOrganizer, useAllOrganizers, useRemoveCoOrganizer } from '../api/organizers';

/** Who runs the event with its organizer: add or remove co-organizers (each change is in its history). */
export function CoOrganizers({ event }: { event: LedgerEvent }) {
  const organizers = useAllOrganizers();
  const add = useAddCoOrganizer(event.id);
  const remove = useRemoveCoOrganizer(event.id);
  const [shown, setShown] = useState(event.co_organizers);
  const running = new Set([event.organizer_id, ...shown.map((o) => o.id)]);
  const candidates = (organizers.data ?? []).filter((o) => !running.has(o.id));
  const [chosen, setChosen] = useState('');
  const target = chosen || candidates[0]?.id || '';
  return (
    <section className="card" aria-label="Co-organizers">
      <h2>Co-organizers</h2>
      <p className="muted">Organized by {event.organizer_name ?? 'admins only'}. Co-organizers have the same rights on this event.</p>
      {shown.length === 0 ? <p className="muted">None yet.</p> : (
        <ul className="plain-list">
          {shown.map((o) => (
            <li key={o.id}>
              {o.name}{' '}
              <button type="button" className="link link--danger" disabled={remove.isPending}
                onClick={() => remove.mutate(o.id, { onSuccess: (e) => setShown(e.co_organizers) })}>Remove</button>
            </li>
          ))}
        </ul>
      )}
      {candidates.length > 0 && (
        <form className="form form--inline" onSubmit={(e) => { e.preventDefault(); if (target) add.mutate(target, { onSuccess: (ev) => setShown(ev.co_organizers) }); }}>
          <SelectField label="Add an organizer" value={target} onChange={(e) => setChosen(e.target.value)}>
            {candidates.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
          </SelectField>
          <button type="submit" className="btn" disabled={add.isPending}>Add</button>
        </form>
      )}
      {(add.error || remove.error) && <ErrorMessage error={add.error ?? remove.error} title="Not changed" />}
    </section>
  );
}

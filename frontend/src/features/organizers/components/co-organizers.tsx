import { useState } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import type { LedgerEvent } from '@/types/api';

import { useAddCoOrganizer, useRemoveCoOrganizer } from '../api/organizers';
import { OrganizerPicker } from './organizer-picker';

/** Who runs the event with its organizer: add or remove co-organizers (each change is in its history). */
export function CoOrganizers({ event }: { event: LedgerEvent }) {
  const add = useAddCoOrganizer(event.id);
  const remove = useRemoveCoOrganizer(event.id);
  const [shown, setShown] = useState(event.co_organizers);
  const running = new Set([event.organizer_id ?? '', ...shown.map((o) => o.id)]);
  const [target, setTarget] = useState('');
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
      <form className="form form--inline" onSubmit={(e) => { e.preventDefault(); if (target) add.mutate(target, { onSuccess: (ev) => setShown(ev.co_organizers) }); }}>
        <OrganizerPicker label="Add an organizer" exclude={running} value={target} onChange={setTarget} />
        <button type="submit" className="btn" disabled={add.isPending || !target}>Add</button>
      </form>
      {(add.error || remove.error) && <ErrorMessage error={add.error ?? remove.error} title="Not changed" />}
    </section>
  );
}

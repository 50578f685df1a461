import { useState } from 'react';

import { ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { useAuth } from '@/lib/auth';
import type { LedgerEvent } from '@/types/api';

import { useAddCoOrganizer, useEventOrganizers, useRemoveCoOrganizer } from '../api/organizers';
import { OrganizerPicker } from '@/components/organizer-picker/organizer-picker';

/** Who runs the event with its organizer. Its organizer (or an admin) chooses co-organizers: an organizer's
 * choice is an invitation, shown here until answered; a co-organizer may step down. */
export function CoOrganizers({ event }: { event: LedgerEvent }) {
  const { user, hasRole } = useAuth();
  const owners = useEventOrganizers(event.id);
  const add = useAddCoOrganizer(event.id);
  const remove = useRemoveCoOrganizer(event.id);
  const [target, setTarget] = useState('');
  if (owners.isPending) return <Spinner label="Loading the co-organizers" />;
  if (owners.isError) return <ErrorMessage error={owners.error} onRetry={() => void owners.refetch()} />;
  const { co_organizers: shown, invited_co_organizers: invited } = owners.data;
  const admin = hasRole('admin');
  const owns = admin || (!!user && owners.data.organizer_id === user.id);
  const taken = new Set([owners.data.organizer_id ?? '', ...shown.map((o) => o.id), ...invited.map((o) => o.id)]);
  return (
    <section className="card" aria-label="Co-organizers">
      <h2>Co-organizers</h2>
      <p className="muted">
        Organized by {owners.data.organizer_name ?? 'admins only'}. Co-organizers edit its details, read its bookings and
        check tickets in; only its organizer or an admin cancels, transfers it or chooses co-organizers.
      </p>
      {shown.length === 0 ? <p className="muted">None yet.</p> : (
        <ul className="plain-list">
          {shown.map((o) => (
            <li key={o.id}>
              {o.name}{' '}
              {(owns || o.id === user?.id) && (
                <button type="button" className="link link--danger" disabled={remove.isPending}
                  onClick={() => remove.mutate(o.id)}>{o.id === user?.id ? 'Step down' : 'Remove'}</button>
              )}
            </li>
          ))}
        </ul>
      )}
      {invited.length > 0 && (
        <>
          <h3>Invited, not answered yet</h3>
          <ul className="plain-list" aria-label="Invitations pending">
            {invited.map((o) => (
              <li key={o.id}>
                {o.name} <span className="muted">(invited)</span>{' '}
                {owns && (
                  <button type="button" className="link link--danger" disabled={remove.isPending}
                    onClick={() => remove.mutate(o.id)}>Withdraw</button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {owns && (
        <form className="form form--inline" onSubmit={(e) => { e.preventDefault(); if (target) add.mutate(target, { onSuccess: () => setTarget('') }); }}>
          <OrganizerPicker label={admin ? 'Add an organizer' : 'Invite an organizer'} exclude={taken} value={target} onChange={setTarget} />
          <button type="submit" className="btn" disabled={add.isPending || !target}>{admin ? 'Add' : 'Invite'}</button>
        </form>
      )}
      {(add.error || remove.error) && <ErrorMessage error={add.error ?? remove.error} title="Not changed" />}
    </section>
  );
}

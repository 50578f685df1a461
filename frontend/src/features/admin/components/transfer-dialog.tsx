import { useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm';
import { ErrorMessage } from '@/components/ui/feedback';
import { SelectField } from '@/components/ui/field';

import { useOrganizers, useTransferEvent } from '../api/organizers';
import type { EventStats } from '../api/stats';

/** An admin hands an event to another organizer: a domain event of its own in its history. */
export function TransferDialog({ event, onClose }: { event: EventStats; onClose: () => void }) {
  const organizers = useOrganizers();
  const transfer = useTransferEvent();
  const others = (organizers.data ?? []).filter((o) => o.id !== event.organizer_id);
  const [chosen, setChosen] = useState('');
  const target = chosen || others[0]?.id || '';
  return (
    <ConfirmDialog
      open title={`Transfer “${event.name}”`} confirmLabel="Transfer" cancelLabel="Close" busy={transfer.isPending}
      onCancel={onClose}
      onConfirm={() => target && transfer.mutate({ eventId: event.id, organizerId: target }, { onSuccess: onClose })}
    >
      <p>Now run by {event.organizer_name ?? 'admins only'}. The new organizer takes over at once; the old one loses the event.</p>
      {others.length === 0 ? (
        <p className="muted">No other organizer yet: grant the role on the Organizers page first.</p>
      ) : (
        <SelectField label="New organizer" value={target} onChange={(e) => setChosen(e.target.value)}>
          {others.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </SelectField>
      )}
      {transfer.error && <ErrorMessage error={transfer.error} title="Not transferred" />}
    </ConfirmDialog>
  );
}

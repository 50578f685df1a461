import { useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm';
import { ErrorMessage } from '@/components/ui/feedback';
import { OrganizerPicker } from '@/components/organizer-picker/organizer-picker';

import { useTransferEvent } from '../api/organizers';
import type { EventStats } from '../api/stats';

/** An admin hands an event to another organizer, its organizer to one of its co-organizers: a domain event of
 * its own in its history (the API refuses another organizer with NOT_A_CO_ORGANIZER). */
export function TransferDialog({ event, onClose }: { event: EventStats; onClose: () => void }) {
  const transfer = useTransferEvent();
  const [target, setTarget] = useState('');
  return (
    <ConfirmDialog
      open title={`Transfer “${event.name}”`} confirmLabel="Transfer" cancelLabel="Close" busy={transfer.isPending}
      onCancel={onClose}
      onConfirm={() => target && transfer.mutate({ eventId: event.id, organizerId: target }, { onSuccess: onClose })}
    >
      <p>Now run by {event.organizer_name ?? 'admins only'}. The new organizer takes over at once; the old one loses the event.</p>
      <OrganizerPicker label="New organizer" exclude={new Set(event.organizer_id ? [event.organizer_id] : [])}
        value={target} onChange={setTarget} />
      {transfer.error && <ErrorMessage error={transfer.error} title="Not transferred" />}
    </ConfirmDialog>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ConfirmDialog } from '@/components/ui/confirm';
import { ErrorMessage } from '@/components/ui/feedback';
import { OrganizerPicker } from '@/components/organizer-picker/organizer-picker';
import { personName } from '@/lib/persons';

import { useTransferEvent } from '../api/organizers';
import type { EventStats } from '../api/stats';

/** An admin hands an event to another organizer, its organizer to one of its co-organizers: a domain event of
 * its own in its history (the API refuses another organizer with NOT_A_CO_ORGANIZER). */
export function TransferDialog({ event, onClose }: { event: EventStats; onClose: () => void }) {
  const { t } = useTranslation('organizer');
  const transfer = useTransferEvent();
  const [target, setTarget] = useState('');
  return (
    <ConfirmDialog
      open title={t('transfer.title', { name: event.name })} confirmLabel={t('transfer.action')} cancelLabel={t('transfer.close')} busy={transfer.isPending}
      onCancel={onClose}
      onConfirm={() => target && transfer.mutate({ eventId: event.id, organizerId: target }, { onSuccess: onClose })}
    >
      <p>{t('transfer.body', { organizer: personName(event.organizer_name) ?? t('transfer.adminsOnly') })}</p>
      <OrganizerPicker label={t('transfer.newOrganizer')} searchLabel={t('picker.searchNew')} exclude={new Set(event.organizer_id ? [event.organizer_id] : [])}
        value={target} onChange={setTarget} />
      {transfer.error && <ErrorMessage error={transfer.error} title={t('transfer.notTransferred')} />}
    </ConfirmDialog>
  );
}

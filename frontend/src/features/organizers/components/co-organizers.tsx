import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { useAuth } from '@/lib/auth';
import { personName } from '@/lib/persons';
import type { LedgerEvent } from '@/types/api';

import { useAddCoOrganizer, useEventOrganizers, useRemoveCoOrganizer } from '../api/organizers';
import { OrganizerPicker } from '@/components/organizer-picker/organizer-picker';

/** Who runs the event with its organizer. Its organizer (or an admin) chooses co-organizers: an organizer's
 * choice is an invitation, shown here until answered; a co-organizer may step down. */
export function CoOrganizers({ event }: { event: LedgerEvent }) {
  const { t } = useTranslation('organizer');
  const { user, hasRole } = useAuth();
  const owners = useEventOrganizers(event.id);
  const add = useAddCoOrganizer(event.id);
  const remove = useRemoveCoOrganizer(event.id);
  const [target, setTarget] = useState('');
  if (owners.isPending) return <Spinner label={t('coOrganizers.loading')} />;
  if (owners.isError) return <ErrorMessage error={owners.error} onRetry={() => void owners.refetch()} />;
  const { co_organizers: shown, invited_co_organizers: invited } = owners.data;
  const admin = hasRole('admin');
  const owns = admin || (!!user && owners.data.organizer_id === user.id);
  const taken = new Set([owners.data.organizer_id ?? '', ...shown.map((o) => o.id), ...invited.map((o) => o.id)]);
  return (
    <section className="card" aria-label={t('coOrganizers.title')}>
      <h2>{t('coOrganizers.title')}</h2>
      <p className="muted">{t('coOrganizers.about', { organizer: personName(owners.data.organizer_name) ?? t('transfer.adminsOnly') })}</p>
      {shown.length === 0 ? <p className="muted">{t('coOrganizers.none')}</p> : (
        <ul className="plain-list">
          {shown.map((o) => (
            <li key={o.id}>
              {personName(o.name)}{' '}
              {(owns || o.id === user?.id) && (
                <button type="button" className="link link--danger" disabled={remove.isPending}
                  onClick={() => remove.mutate(o.id)}>{o.id === user?.id ? t('coOrganizers.stepDown') : t('eventForm.remove')}</button>
              )}
            </li>
          ))}
        </ul>
      )}
      {invited.length > 0 && (
        <>
          <h3>{t('coOrganizers.invited')}</h3>
          <ul className="plain-list" aria-label={t('coOrganizers.pending')}>
            {invited.map((o) => (
              <li key={o.id}>
                {personName(o.name)} <span className="muted">{t('coOrganizers.invitedMark')}</span>{' '}
                {owns && (
                  <button type="button" className="link link--danger" disabled={remove.isPending}
                    onClick={() => remove.mutate(o.id)}>{t('coOrganizers.withdraw')}</button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {owns && (
        <form className="form form--inline" onSubmit={(e) => { e.preventDefault(); if (target) add.mutate(target, { onSuccess: () => setTarget('') }); }}>
          <OrganizerPicker label={admin ? t('coOrganizers.addLabel') : t('coOrganizers.inviteLabel')}
            searchLabel={admin ? t('picker.searchAdd') : t('picker.searchInvite')} exclude={taken} value={target} onChange={setTarget} />
          <button type="submit" className="btn" disabled={add.isPending || !target}>{admin ? t('coOrganizers.add') : t('coOrganizers.invite')}</button>
        </form>
      )}
      {(add.error || remove.error) && <ErrorMessage error={add.error ?? remove.error} title={t('coOrganizers.notChanged')} />}
    </section>
  );
}

import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { ErrorMessage } from '@/components/ui/feedback';
import { useAuth } from '@/lib/auth';
import { dateTime } from '@/lib/format';
import { personName } from '@/lib/persons';

import { useAnswerInvitation, useMyInvitations } from '../api/organizers';

/** The signed-in organizer's invitations to co-organize events: nothing names them on an event before they accept. */
export function Invitations() {
  const { t } = useTranslation('organizer');
  const { user, hasRole } = useAuth();
  const organizer = hasRole('organizer');
  const invitations = useMyInvitations(organizer);
  const answer = useAnswerInvitation(user?.id ?? '');
  if (!organizer || !invitations.data || invitations.data.items.length === 0) return null;
  return (
    <section className="card" aria-label={t('invitations.title')}>
      <h2>{t('invitations.title')}</h2>
      <ul className="plain-list">
        {invitations.data.items.map((i) => (
          <li key={i.event_id} data-testid={`invitation-${i.event_name}`}>
            <Link to={`/events/${i.event_id}`}>{i.event_name}</Link>{' '}
            <span className="muted">{t('invitations.about', { time: dateTime(i.starts_at), organizer: personName(i.organizer_name) ?? t('dashboard.admins') })}</span>{' '}
            <button type="button" className="btn btn--small" disabled={answer.isPending}
              onClick={() => answer.mutate({ eventId: i.event_id, answer: 'accept' })}>{t('invitations.accept')}</button>{' '}
            <button type="button" className="link link--danger" disabled={answer.isPending}
              onClick={() => answer.mutate({ eventId: i.event_id, answer: 'decline' })}>{t('invitations.decline')}</button>
          </li>
        ))}
      </ul>
      {answer.error && <ErrorMessage error={answer.error} title={t('invitations.notAnswered')} />}
    </section>
  );
}

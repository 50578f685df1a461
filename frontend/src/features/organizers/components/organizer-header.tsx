import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { personName } from '@/lib/persons';

import { useOrganizer } from '../api/organizers';

/** The heading of an organizer's public page. */
export function OrganizerHeader({ organizerId }: { organizerId: string }) {
  const organizer = useOrganizer(organizerId);
  const { t } = useTranslation('events');
  if (organizer.isPending) return <Spinner label={t('organizer.loading')} />;
  if (organizer.isError) return <ErrorMessage error={organizer.error} />;
  return (
    <section className="hero">
      <h1>{personName(organizer.data.name)}</h1>
      <p>{t('organizer.lead', { name: organizer.data.name })}</p>
    </section>
  );
}

import { useParams } from 'react-router-dom';

import { EventList } from '@/features/events/components/event-list';
import { OrganizerHeader } from '@/features/organizers/components/organizer-header';

/** An organizer's public page: who they are and every event they organize. */
export function OrganizerRoute() {
  const { organizerId = '' } = useParams();
  return (
    <>
      <OrganizerHeader organizerId={organizerId} />
      <EventList filters={{ organizer: organizerId, view: 'all' }} />
    </>
  );
}

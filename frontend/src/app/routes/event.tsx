import { useParams } from 'react-router-dom';

import { EventDetails } from '@/features/events/components/event-details';

export function EventRoute() {
  const { eventId = '' } = useParams();
  return <EventDetails key={eventId} eventId={eventId} />;
}

import { ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';

import { useOrganizer } from '../api/organizers';

/** The heading of an organizer's public page. */
export function OrganizerHeader({ organizerId }: { organizerId: string }) {
  const organizer = useOrganizer(organizerId);
  if (organizer.isPending) return <Spinner label="Loading the organizer" />;
  if (organizer.isError) return <ErrorMessage error={organizer.error} />;
  return (
    <section className="hero">
      <h1>{organizer.data.name}</h1>
      <p>Events organized by {organizer.data.name}.</p>
    </section>
  );
}

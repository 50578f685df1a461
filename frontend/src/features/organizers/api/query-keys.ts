import { ROOT } from '@/lib/react-query';

/** Every query key of the organizers feature. */
export const organizerKeys = {
  all: [ROOT.organizers] as const,
  profile: (organizerId: string) => [ROOT.organizers, 'profile', organizerId] as const,
  event: (eventId: string) => [ROOT.organizers, 'event', eventId] as const,
  invitations: [ROOT.organizers, 'me', 'invitations'] as const,
};

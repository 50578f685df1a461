import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { cursorPages } from '@/lib/cursor-pages';
import type { BookingPage, UserPage } from '@/types/api';

import { auditKeys } from './query-keys';

export const BOOKINGS_PAGE = 50;

const pages = (key: readonly unknown[], path: string) => cursorPages<BookingPage>(key, path, BOOKINGS_PAGE);

/** An event's bookings, page by page (for an auditor, ticket codes are digests). */
export const useEventBookings = (eventId: string) =>
  useInfiniteQuery({ ...pages(auditKeys.eventBookings(eventId), `/events/${eventId}/bookings`), enabled: !!eventId });

/** A user's bookings, page by page. */
export const useUserBookings = (userId: string) =>
  useInfiniteQuery({ ...pages(auditKeys.userBookings(userId), `/users/${userId}/bookings`), enabled: !!userId });

/** Accounts whose name or email starts with `q` (auditors and admins list users). */
export const useUserSearch = (q: string) =>
  useQuery({
    queryKey: auditKeys.userSearch(q),
    queryFn: async () => (await api.get<UserPage>('/users', { params: { q: q || undefined, limit: 20 } })).data,
    placeholderData: keepPreviousData,
  });

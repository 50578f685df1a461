import type { LedgerEvent, Role, User } from '@/types/api';

/**
 * Who may use which workspace: the one place the navigation and the routes' guards read
 * (the API decides too; this only keeps each role away from controls it cannot use).
 */
export const ACCESS = {
  /** Book seats and see one's own bookings. */
  book: ['customer', 'organizer', 'admin'],
  /** Run events: the organizer their own, an admin every one (the dashboard, editor, bookings). */
  runEvents: ['organizer', 'admin'],
  /** Register webhooks and read their deliveries: an organizer's for the events they run, an admin's for any. */
  webhooks: ['organizer', 'admin'],
  /** Issue invoices for the events one organizes: the seller's details, the invoices issued, their CSV. */
  invoicing: ['organizer', 'admin'],
  /** The admin's workspace: users and roles, operations. */
  admin: ['admin'],
  /** The auditor's workspace, read-only: every control there also works for an admin. */
  audit: ['auditor', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Access = keyof typeof ACCESS;

export function allowed(role: Role | null | undefined, access: Access): boolean {
  return !!role && (ACCESS[access] as readonly Role[]).includes(role);
}

export interface NavEntry { to: string; label: string; end?: boolean }

/** The main navigation's entries for a role (null: signed out), in order. */
export function navEntries(role: Role | null | undefined): NavEntry[] {
  const entries: NavEntry[] = [{ to: '/', label: 'Events', end: true }];
  if (allowed(role, 'book')) entries.push({ to: '/my-bookings', label: 'My bookings' });
  // An organizer's dashboard is their events; an admin's is every event, inside the admin workspace.
  if (role === 'organizer') entries.push({ to: '/admin', label: 'Dashboard' });
  if (allowed(role, 'admin')) entries.push({ to: '/admin', label: 'Admin' });
  if (allowed(role, 'invoicing')) entries.push({ to: '/invoicing', label: 'Invoicing' });
  if (allowed(role, 'webhooks')) entries.push({ to: '/webhooks', label: 'Webhooks' });
  if (allowed(role, 'audit')) entries.push({ to: '/audit', label: 'Audit' });
  return entries;
}

type Runnable = Pick<LedgerEvent, 'organizer_id' | 'co_organizers'>;
type Someone = Pick<User, 'id' | 'role'> | null | undefined;

/** Whether the user may run the event: an admin, its organizer or a co-organizer (the API decides too). */
export function runs(user: Someone, event: Runnable): boolean {
  if (!user) return false;
  return user.role === 'admin' || event.organizer_id === user.id || event.co_organizers.some((o) => o.id === user.id);
}

/** Whether the user may end the event (complete, cancel): an admin or its organizer, not a co-organizer. */
export function owns(user: Someone, event: Runnable): boolean {
  return !!user && (user.role === 'admin' || event.organizer_id === user.id);
}

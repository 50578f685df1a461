import { Outlet } from 'react-router-dom';

import { WorkspaceNav } from '@/components/layouts/workspace-nav';
import { useAuth } from '@/lib/auth';

const TABS = [
  { to: '/admin', label: 'tabs.events', end: true, also: ['/admin/events/'] },
  { to: '/admin/users', label: 'tabs.users' },
  { to: '/admin/organizers', label: 'tabs.organizers' },
  { to: '/admin/operations', label: 'tabs.operations' },
];

/** The admin's workspace (its sub-pages as tabs); an organizer's dashboard has no tabs. */
export function AdminLayout() {
  const { hasRole } = useAuth();
  return (
    <>
      {hasRole('admin') && <WorkspaceNav label="tabs.admin" tabs={TABS} />}
      <Outlet />
    </>
  );
}

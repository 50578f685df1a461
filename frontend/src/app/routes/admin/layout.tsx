import { Outlet } from 'react-router-dom';

import { WorkspaceNav } from '@/components/layouts/workspace-nav';
import { useAuth } from '@/lib/auth';

const TABS = [
  { to: '/admin', label: 'Events', end: true, also: ['/admin/events/'] },
  { to: '/admin/users', label: 'Users' },
  { to: '/admin/organizers', label: 'Organizers' },
  { to: '/admin/operations', label: 'Operations' },
];

/** The admin's workspace (its sub-pages as tabs); an organizer's dashboard has no tabs. */
export function AdminLayout() {
  const { hasRole } = useAuth();
  return (
    <>
      {hasRole('admin') && <WorkspaceNav label="Admin workspace" tabs={TABS} />}
      <Outlet />
    </>
  );
}

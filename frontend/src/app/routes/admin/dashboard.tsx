import { AdminDashboard } from '@/features/admin/components/admin-dashboard';
import { Invitations } from '@/features/organizers/components/invitations';
import { useAuth } from '@/lib/auth';

export function AdminRoute() {
  const { hasRole } = useAuth();
  const admin = hasRole('admin');
  return (
    <>
      <h1>{admin ? 'Organizer dashboard: every event' : 'Organizer dashboard'}</h1>
      <Invitations />
      <AdminDashboard />
    </>
  );
}

import { Link } from 'react-router-dom';

import { AdminDashboard } from '@/features/admin/components/admin-dashboard';
import { Invitations } from '@/features/organizers/components/invitations';
import { useAuth } from '@/lib/auth';

export function AdminRoute() {
  const { hasRole } = useAuth();
  const admin = hasRole('admin');
  return (
    <>
      <div className="section-head">
        <h1>{admin ? 'Organizer dashboard: every event' : 'Organizer dashboard'}</h1>
        {admin && <Link to="/admin/organizers">Organizers</Link>}
      </div>
      <Invitations />
      <AdminDashboard />
    </>
  );
}

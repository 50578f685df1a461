import { Link } from 'react-router-dom';

import { OrganizersAdmin } from '@/features/admin/components/organizers-admin';

export function AdminOrganizersRoute() {
  return (
    <>
      <p className="crumbs"><Link to="/admin">← Dashboard</Link></p>
      <h1>Organizers</h1>
      <p className="muted">Organizers create events and run their own: edit, cancel, bookings, check-in and sales. Grant or revoke the role here.</p>
      <OrganizersAdmin />
    </>
  );
}

import { useLocation, useParams } from 'react-router-dom';
import { Link } from 'react-router-dom';

import { UserBookings } from '@/features/admin/components/user-bookings';
import { CreateUserForm, UsersAdmin } from '@/features/admin/components/users-admin';

export function AdminUsersRoute() {
  return (
    <>
      <h1>Users</h1>
      <section className="card" aria-labelledby="create-user">
        <h2 id="create-user">Create a user</h2>
        <p className="muted">Of any role: customers book, organizers run their events, auditors read the ledger, admins run everything.</p>
        <CreateUserForm />
      </section>
      <section className="card" aria-labelledby="all-users">
        <h2 id="all-users">Every user</h2>
        <UsersAdmin />
      </section>
    </>
  );
}

export function AdminUserBookingsRoute() {
  const { userId = '' } = useParams();
  const name = (useLocation().state as { name?: string } | null)?.name;
  return (
    <div className="card">
      <p className="crumbs"><Link to="/admin/users">← Users</Link></p>
      <h1>Bookings of {name ?? 'the user'}</h1>
      <UserBookings key={userId} userId={userId} />
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { useLocation, useParams } from 'react-router-dom';
import { Link } from 'react-router-dom';

import { UserBookings } from '@/features/admin/components/user-bookings';
import { CreateUserForm, UsersAdmin } from '@/features/admin/components/users-admin';

export function AdminUsersRoute() {
  const { t } = useTranslation('admin');
  return (
    <>
      <h1>{t('users.title')}</h1>
      <section className="card" aria-labelledby="create-user">
        <h2 id="create-user">{t('users.create')}</h2>
        <p className="muted">{t('users.createAbout')}</p>
        <CreateUserForm />
      </section>
      <section className="card" aria-labelledby="all-users">
        <h2 id="all-users">{t('users.every')}</h2>
        <UsersAdmin />
      </section>
    </>
  );
}

export function AdminUserBookingsRoute() {
  const { t } = useTranslation('admin');
  const { userId = '' } = useParams();
  const name = (useLocation().state as { name?: string } | null)?.name;
  return (
    <div className="card">
      <p className="crumbs"><Link to="/admin/users">{t('users.back')}</Link></p>
      <h1>{name ? t('users.bookingsOf', { name }) : t('users.bookingsOfUser')}</h1>
      <UserBookings key={userId} userId={userId} />
    </div>
  );
}

import { useTranslation } from 'react-i18next';

import { AdminDashboard } from '@/features/admin/components/admin-dashboard';
import { Invitations } from '@/features/organizers/components/invitations';
import { useAuth } from '@/lib/auth';

export function AdminRoute() {
  const { t } = useTranslation('organizer');
  const { hasRole } = useAuth();
  const admin = hasRole('admin');
  return (
    <>
      <h1>{admin ? t('dashboard.titleAdmin') : t('dashboard.title')}</h1>
      <Invitations />
      <AdminDashboard />
    </>
  );
}

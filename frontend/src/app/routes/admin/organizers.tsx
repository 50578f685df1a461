import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { OrganizersAdmin } from '@/features/admin/components/organizers-admin';

export function AdminOrganizersRoute() {
  const { t } = useTranslation('admin');
  return (
    <>
      <p className="crumbs"><Link to="/admin">{t('organizer:editor.dashboard')}</Link></p>
      <h1>{t('manage:tabs.organizers')}</h1>
      <p className="muted">{t('organizers.about')}</p>
      <OrganizersAdmin />
    </>
  );
}

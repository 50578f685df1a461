import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router-dom';

import { WorkspaceNav } from '@/components/layouts/workspace-nav';

const TABS = [
  { to: '/audit', label: 'tabs.ledger', end: true, also: ['/audit/events/'] },
  { to: '/audit/revenue', label: 'tabs.revenue' },
  { to: '/audit/bookings', label: 'tabs.bookings' },
  { to: '/audit/log', label: 'tabs.log' },
  { to: '/audit/exports', label: 'tabs.exports' },
  { to: '/audit/heads', label: 'tabs.heads' },
];

/** The auditor's workspace (admins too): read-only, every page at its own address. */
export function AuditLayout() {
  const { t } = useTranslation('manage');
  return (
    <>
      <div className="workspace-head">
        <h1>{t('audit.title')}</h1>
        <p className="muted">{t('audit.lead')}</p>
      </div>
      <WorkspaceNav label="tabs.audit" tabs={TABS} />
      <Outlet />
    </>
  );
}

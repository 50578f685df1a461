import { useTranslation } from 'react-i18next';

import { AuditBookings } from '@/features/audit/components/audit-bookings';
import { AuditLog } from '@/features/audit/components/audit-log';
import { ExportsPanel } from '@/features/audit/components/exports-panel';
import { RevenueReport } from '@/features/audit/components/revenue-report';
import { SignedHeads } from '@/features/audit/components/signed-heads';
import { SignHeadNow } from '@/features/admin/components/sign-head-now';
import { useAuth } from '@/lib/auth';

export function AuditRevenueRoute() {
  return <RevenueReport />;
}

export function AuditBookingsRoute() {
  return <AuditBookings />;
}

export function AuditLogRoute() {
  const { t } = useTranslation('audit');
  return <section className="card"><h2>{t('pages.log')}</h2><AuditLog /></section>;
}

export function AuditExportsRoute() {
  return <ExportsPanel />;
}

/** The heads; an admin may also have one signed now. */
export function AuditHeadsRoute() {
  const { t } = useTranslation('audit');
  const { hasRole } = useAuth();
  return (
    <>
      {hasRole('admin') && <section className="card"><h2>{t('pages.signNow')}</h2><SignHeadNow /></section>}
      <SignedHeads />
    </>
  );
}

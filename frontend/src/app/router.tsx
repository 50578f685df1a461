import { useTranslation } from 'react-i18next';
import { lazy, Suspense, type ComponentType } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';

import { AppLayout } from '@/components/layouts/app-layout';
import { Spinner } from '@/components/ui/spinner';
import { RequireAuth } from '@/lib/auth';
import { ACCESS } from '@/lib/authorization';

import { AccountDeletedRoute, AccountRoute } from './routes/account';
import { LoginRoute, SignupRoute } from './routes/auth';
import { EventRoute } from './routes/event';
import { EventsRoute } from './routes/events';
import { MyBookingsRoute } from './routes/my-bookings';
import { NotFoundRoute } from './routes/not-found';
import { OrganizerRoute } from './routes/organizers/organizer';

/** A route's component loaded when first shown: the workspaces (and their charts) stay out of the first download. */
function later<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M) {
  return lazy(() => load().then((m) => ({ default: m[name] as ComponentType })));
}
const admin = () => import('./routes/admin');
const audit = () => import('./routes/audit');
const AdminLayout = later(admin, 'AdminLayout');
const AdminRoute = later(admin, 'AdminRoute');
const AdminEventEditorRoute = later(admin, 'AdminEventEditorRoute');
const AdminEventBookingsRoute = later(admin, 'AdminEventBookingsRoute');
const AdminBoxOfficeRoute = later(admin, 'AdminBoxOfficeRoute');
const AdminVouchersRoute = later(admin, 'AdminVouchersRoute');
const AdminUsersRoute = later(admin, 'AdminUsersRoute');
const AdminUserBookingsRoute = later(admin, 'AdminUserBookingsRoute');
const AdminOrganizersRoute = later(admin, 'AdminOrganizersRoute');
const AdminOperationsRoute = later(admin, 'AdminOperationsRoute');
const AuditLayout = later(audit, 'AuditLayout');
const AuditLedgerRoute = later(audit, 'AuditLedgerRoute');
const AuditRevenueRoute = later(audit, 'AuditRevenueRoute');
const AuditBookingsRoute = later(audit, 'AuditBookingsRoute');
const AuditLogRoute = later(audit, 'AuditLogRoute');
const AuditExportsRoute = later(audit, 'AuditExportsRoute');
const AuditHeadsRoute = later(audit, 'AuditHeadsRoute');
const WebhooksRoute = later(() => import('./routes/webhooks'), 'WebhooksRoute');
const InvoicingRoute = later(() => import('./routes/invoicing'), 'InvoicingRoute');

/** Every route, each guarded by the roles that may use it (the same table the navigation reads). */
export function AppRoutes() {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<Spinner label={t('loadingPage')} />}>
      <Routes>
        <Route path="/" element={<EventsRoute />} />
        <Route path="/events/:eventId" element={<EventRoute />} />
        <Route path="/login" element={<LoginRoute />} />
        <Route path="/signup" element={<SignupRoute />} />
        <Route path="/account" element={<RequireAuth><AccountRoute /></RequireAuth>} />
        <Route path="/account/deleted" element={<AccountDeletedRoute />} />
        <Route path="/my-bookings" element={<RequireAuth roles={ACCESS.book}><MyBookingsRoute /></RequireAuth>} />
        <Route path="/organizers/:organizerId" element={<OrganizerRoute />} />
        <Route path="/admin" element={<RequireAuth roles={ACCESS.runEvents}><AdminLayout /></RequireAuth>}>
          <Route index element={<AdminRoute />} />
          <Route path="events/new" element={<AdminEventEditorRoute />} />
          <Route path="events/:eventId/edit" element={<AdminEventEditorRoute />} />
          <Route path="events/:eventId/bookings" element={<AdminEventBookingsRoute />} />
          <Route path="events/:eventId/box-office" element={<AdminBoxOfficeRoute />} />
          <Route path="events/:eventId/vouchers" element={<AdminVouchersRoute />} />
          <Route path="users" element={<RequireAuth roles={ACCESS.admin}><AdminUsersRoute /></RequireAuth>} />
          <Route path="users/:userId/bookings" element={<RequireAuth roles={ACCESS.admin}><AdminUserBookingsRoute /></RequireAuth>} />
          <Route path="organizers" element={<RequireAuth roles={ACCESS.admin}><AdminOrganizersRoute /></RequireAuth>} />
          <Route path="operations" element={<RequireAuth roles={ACCESS.admin}><AdminOperationsRoute /></RequireAuth>} />
        </Route>
        <Route path="/webhooks" element={<RequireAuth roles={ACCESS.webhooks}><WebhooksRoute /></RequireAuth>} />
        <Route path="/invoicing" element={<RequireAuth roles={ACCESS.invoicing}><InvoicingRoute /></RequireAuth>} />
        <Route path="/audit" element={<RequireAuth roles={ACCESS.audit}><AuditLayout /></RequireAuth>}>
          <Route index element={<AuditLedgerRoute />} />
          <Route path="events/:eventId" element={<AuditLedgerRoute />} />
          <Route path="revenue" element={<AuditRevenueRoute />} />
          <Route path="bookings" element={<AuditBookingsRoute />} />
          <Route path="log" element={<AuditLogRoute />} />
          <Route path="exports" element={<AuditExportsRoute />} />
          <Route path="heads" element={<AuditHeadsRoute />} />
        </Route>
        <Route path="*" element={<NotFoundRoute />} />
      </Routes>
    </Suspense>
  );
}

export function AppRouter() {
  return (
    <BrowserRouter>
      <AppLayout>
        <AppRoutes />
      </AppLayout>
    </BrowserRouter>
  );
}

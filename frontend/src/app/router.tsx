import { BrowserRouter, Route, Routes } from 'react-router-dom';

import { AppLayout } from '@/components/layouts/app-layout';
import { RequireAuth } from '@/lib/auth';
import { ACCESS } from '@/lib/authorization';

import { AccountRoute } from './routes/account';
import { AdminRoute } from './routes/admin/dashboard';
import { AdminEventBookingsRoute } from './routes/admin/event-bookings';
import { AdminEventEditorRoute } from './routes/admin/event-editor';
import { AdminLayout } from './routes/admin/layout';
import { AdminOperationsRoute } from './routes/admin/operations';
import { AdminOrganizersRoute } from './routes/admin/organizers';
import { AdminUserBookingsRoute, AdminUsersRoute } from './routes/admin/users';
import { AuditLayout } from './routes/audit/layout';
import { AuditLedgerRoute } from './routes/audit/ledger';
import { AuditBookingsRoute, AuditExportsRoute, AuditHeadsRoute, AuditLogRoute, AuditRevenueRoute } from './routes/audit/pages';
import { LoginRoute, SignupRoute } from './routes/auth';
import { EventRoute } from './routes/event';
import { EventsRoute } from './routes/events';
import { MyBookingsRoute } from './routes/my-bookings';
import { NotFoundRoute } from './routes/not-found';
import { OrganizerRoute } from './routes/organizers/organizer';

/** Every route, each guarded by the roles that may use it (the same table the navigation reads). */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<EventsRoute />} />
      <Route path="/events/:eventId" element={<EventRoute />} />
      <Route path="/login" element={<LoginRoute />} />
      <Route path="/signup" element={<SignupRoute />} />
      <Route path="/account" element={<RequireAuth><AccountRoute /></RequireAuth>} />
      <Route path="/my-bookings" element={<RequireAuth roles={ACCESS.book}><MyBookingsRoute /></RequireAuth>} />
      <Route path="/organizers/:organizerId" element={<OrganizerRoute />} />
      <Route path="/admin" element={<RequireAuth roles={ACCESS.runEvents}><AdminLayout /></RequireAuth>}>
        <Route index element={<AdminRoute />} />
        <Route path="events/new" element={<AdminEventEditorRoute />} />
        <Route path="events/:eventId/edit" element={<AdminEventEditorRoute />} />
        <Route path="events/:eventId/bookings" element={<AdminEventBookingsRoute />} />
        <Route path="users" element={<RequireAuth roles={ACCESS.admin}><AdminUsersRoute /></RequireAuth>} />
        <Route path="users/:userId/bookings" element={<RequireAuth roles={ACCESS.admin}><AdminUserBookingsRoute /></RequireAuth>} />
        <Route path="organizers" element={<RequireAuth roles={ACCESS.admin}><AdminOrganizersRoute /></RequireAuth>} />
        <Route path="operations" element={<RequireAuth roles={ACCESS.admin}><AdminOperationsRoute /></RequireAuth>} />
      </Route>
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

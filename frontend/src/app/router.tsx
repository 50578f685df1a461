import { BrowserRouter, Route, Routes } from 'react-router-dom';

import { AppLayout } from '@/components/layouts/app-layout';
import { RequireAuth } from '@/lib/auth';

import { AccountRoute } from './routes/account';
import { AdminRoute } from './routes/admin/dashboard';
import { AdminEventBookingsRoute } from './routes/admin/event-bookings';
import { AdminEventEditorRoute } from './routes/admin/event-editor';
import { AuditRoute } from './routes/audit/audit';
import { EventRoute } from './routes/event';
import { EventsRoute } from './routes/events';
import { LoginRoute, SignupRoute } from './routes/auth';
import { MyBookingsRoute } from './routes/my-bookings';
import { NotFoundRoute } from './routes/not-found';

export function AppRouter() {
  return (
    <BrowserRouter>
      <AppLayout>
        <Routes>
          <Route path="/" element={<EventsRoute />} />
          <Route path="/events/:eventId" element={<EventRoute />} />
          <Route path="/login" element={<LoginRoute />} />
          <Route path="/signup" element={<SignupRoute />} />
          <Route path="/account" element={<RequireAuth><AccountRoute /></RequireAuth>} />
          <Route path="/my-bookings" element={<RequireAuth><MyBookingsRoute /></RequireAuth>} />
          <Route path="/admin" element={<RequireAuth roles={['admin']}><AdminRoute /></RequireAuth>} />
          <Route path="/admin/events/new" element={<RequireAuth roles={['admin']}><AdminEventEditorRoute /></RequireAuth>} />
          <Route path="/admin/events/:eventId/edit" element={<RequireAuth roles={['admin']}><AdminEventEditorRoute /></RequireAuth>} />
          <Route path="/admin/events/:eventId/bookings" element={<RequireAuth roles={['admin']}><AdminEventBookingsRoute /></RequireAuth>} />
          <Route path="/audit" element={<RequireAuth roles={['admin', 'auditor']}><AuditRoute /></RequireAuth>} />
          <Route path="/audit/events/:eventId" element={<RequireAuth roles={['admin', 'auditor']}><AuditRoute /></RequireAuth>} />
          <Route path="*" element={<NotFoundRoute />} />
        </Routes>
      </AppLayout>
    </BrowserRouter>
  );
}

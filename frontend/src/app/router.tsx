import { BrowserRouter, Route, Routes } from 'react-router-dom';

import { AppLayout } from '@/components/layouts/app-layout';
import { RequireAuth } from '@/lib/auth';
import type { Role } from '@/types/api';

import { AccountRoute } from './routes/account';
import { AdminRoute } from './routes/admin/dashboard';
import { AdminEventBookingsRoute } from './routes/admin/event-bookings';
import { AdminEventEditorRoute } from './routes/admin/event-editor';
import { AdminOrganizersRoute } from './routes/admin/organizers';
import { AuditRoute } from './routes/audit/audit';
import { EventRoute } from './routes/event';
import { EventsRoute } from './routes/events';
import { LoginRoute, SignupRoute } from './routes/auth';
import { MyBookingsRoute } from './routes/my-bookings';
import { NotFoundRoute } from './routes/not-found';
import { OrganizerRoute } from './routes/organizers/organizer';

// Organizers run their own events (the API checks which); admins run every event.
const RUNNERS: Role[] = ['organizer', 'admin'];

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
          <Route path="/organizers/:organizerId" element={<OrganizerRoute />} />
          <Route path="/admin" element={<RequireAuth roles={RUNNERS}><AdminRoute /></RequireAuth>} />
          <Route path="/admin/organizers" element={<RequireAuth roles={['admin']}><AdminOrganizersRoute /></RequireAuth>} />
          <Route path="/admin/events/new" element={<RequireAuth roles={RUNNERS}><AdminEventEditorRoute /></RequireAuth>} />
          <Route path="/admin/events/:eventId/edit" element={<RequireAuth roles={RUNNERS}><AdminEventEditorRoute /></RequireAuth>} />
          <Route path="/admin/events/:eventId/bookings" element={<RequireAuth roles={RUNNERS}><AdminEventBookingsRoute /></RequireAuth>} />
          <Route path="/audit" element={<RequireAuth roles={['admin', 'auditor']}><AuditRoute /></RequireAuth>} />
          <Route path="/audit/events/:eventId" element={<RequireAuth roles={['admin', 'auditor']}><AuditRoute /></RequireAuth>} />
          <Route path="*" element={<NotFoundRoute />} />
        </Routes>
      </AppLayout>
    </BrowserRouter>
  );
}

import { AdminDashboard } from '@/features/admin/components/admin-dashboard';

export function AdminRoute() {
  return (
    <>
      <h1>Organiser dashboard</h1>
      <AdminDashboard />
    </>
  );
}

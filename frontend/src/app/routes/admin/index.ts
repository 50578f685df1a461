// The admin workspace's routes, loaded together when one of them is first shown.
export { AdminRoute } from './dashboard';
export { AdminBoxOfficeRoute } from './box-office';
export { AdminEventBookingsRoute } from './event-bookings';
export { AdminEventEditorRoute } from './event-editor';
export { AdminLayout } from './layout';
export { AdminOperationsRoute } from './operations';
export { AdminOrganizersRoute } from './organizers';
export { AdminUserBookingsRoute, AdminUsersRoute } from './users';
export { AdminVouchersRoute } from './vouchers';

import { MyBookings } from '@/features/bookings/components/my-bookings';
import { HoldsAndWaitlists } from '@/features/holds/components/holds-and-waitlists';
import { useAuth } from '@/lib/auth';

export function MyBookingsRoute() {
  const { user } = useAuth();
  return (
    <>
      <h1>My bookings</h1>
      {user && <HoldsAndWaitlists userId={user.id} />}
      {user && <MyBookings userId={user.id} />}
    </>
  );
}

import { MyBookings } from '@/features/bookings/components/my-bookings';
import { HoldsAndLines } from '@/features/holds/components/holds-and-lines';
import { useAuth } from '@/lib/auth';

export function MyBookingsRoute() {
  const { user } = useAuth();
  return (
    <>
      <h1>My bookings</h1>
      {user && <HoldsAndLines userId={user.id} />}
      {user && <MyBookings userId={user.id} />}
    </>
  );
}

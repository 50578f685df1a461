import { MyBookings } from '@/features/bookings/components/my-bookings';
import { useAuth } from '@/lib/auth';

export function MyBookingsRoute() {
  const { user } = useAuth();
  return (
    <>
      <h1>My bookings</h1>
      {user && <MyBookings userId={user.id} />}
    </>
  );
}

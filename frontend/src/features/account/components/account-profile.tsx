import { ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';

import { useProfile } from '../api/get-profile';

export function AccountProfile() {
  const profile = useProfile();
  if (profile.isPending) return <Spinner label="Loading your profile" />;
  if (profile.isError) return <ErrorMessage error={profile.error} onRetry={() => void profile.refetch()} />;
  const user = profile.data;
  return (
    <dl className="profile" aria-label="Profile">
      <dt>Name</dt>
      <dd>{user.name}</dd>
      <dt>Email</dt>
      <dd>{user.email}</dd>
      {user.phone && (
        <>
          <dt>Phone</dt>
          <dd>{user.phone}</dd>
        </>
      )}
      <dt>Role</dt>
      <dd>{user.role}</dd>
    </dl>
  );
}

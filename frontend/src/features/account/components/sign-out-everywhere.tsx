import { useState } from 'react';
import { useNavigate } from 'react-router-dom';

import { ConfirmDialog } from '@/components/ui/confirm';
import { ErrorMessage } from '@/components/ui/feedback';
import { useEndSession } from '@/lib/auth';

import { useLogoutEverywhere } from '../api/logout-everywhere';

export function SignOutEverywhere() {
  const logout = useLogoutEverywhere();
  const endSession = useEndSession();
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);

  const confirm = () =>
    logout.mutate(undefined, {
      // In one go, as the header's "Log out" does: to the events list, then forget the session.
      onSuccess: () => { navigate('/'); endSession(); },
      onSettled: () => setAsking(false),
    });

  return (
    <>
      <p className="muted">
        Signs this browser and every other device out of your account. You can log in again at once.
      </p>
      {logout.error && <ErrorMessage error={logout.error} title="Could not sign out everywhere" />}
      <div className="row">
        <button type="button" className="btn btn--danger" onClick={() => setAsking(true)}>
          Sign out everywhere
        </button>
      </div>
      <ConfirmDialog
        open={asking}
        title="Sign out everywhere?"
        confirmLabel="Yes, sign out everywhere"
        cancelLabel="Stay signed in"
        busy={logout.isPending}
        onCancel={() => setAsking(false)}
        onConfirm={confirm}
      >
        <p>Every session of your account ends, here and on your other devices.</p>
      </ConfirmDialog>
    </>
  );
}

import { Badge, Empty, ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { useAuth } from '@/lib/auth';

import { useSetRole, useUsers } from '../api/organizers';

/** Admins grant the organizer role to customers and revoke it (PATCH /api/users/{id}). */
export function OrganizersAdmin() {
  const users = useUsers();
  const setRole = useSetRole();
  const { user: me } = useAuth();
  if (users.isPending) return <Spinner label="Loading users" />;
  if (users.isError) return <ErrorMessage error={users.error} onRetry={() => void users.refetch()} />;
  const shown = users.data.filter((u) => u.role === 'customer' || u.role === 'organizer');
  return (
    <section className="card">
      {setRole.error && <ErrorMessage error={setRole.error} title="Role not changed" />}
      {shown.length === 0 ? (
        <Empty title="No customers or organizers yet" />
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Organizers and customers">
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {shown.map((u) => (
                <tr key={u.id} data-testid={`user-${u.email}`}>
                  <th scope="row">{u.name}</th>
                  <td>{u.email}</td>
                  <td><Badge tone={u.role === 'organizer' ? 'green' : 'neutral'}>{u.role}</Badge></td>
                  <td className="actions">
                    {u.id !== me?.id && (
                      <button
                        type="button" className="link" disabled={setRole.isPending}
                        onClick={() => setRole.mutate({ userId: u.id, role: u.role === 'organizer' ? 'customer' : 'organizer' })}
                      >
                        {u.role === 'organizer' ? 'Revoke organizer' : 'Make organizer'}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

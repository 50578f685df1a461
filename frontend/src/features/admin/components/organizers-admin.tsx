import { useState } from 'react';

import { Badge, Empty, ErrorMessage } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { useAuth } from '@/lib/auth';
import { useDebounced } from '@/lib/debounce';

import { useSetRole, useUsers } from '../api/users';
import { MoreButton } from './bookings-table';

/** Admins grant the organizer role to customers and revoke it (PATCH /api/users/{id}); the
 * accounts are searched on the server by the start of their name or email. */
export function OrganizersAdmin() {
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim());
  const users = useUsers({ q });
  const setRole = useSetRole();
  const { user: me } = useAuth();
  const search = (
    <Field label="Search accounts" type="search" value={typed} placeholder="Start of a name or email"
      onChange={(e) => setTyped(e.target.value)} />
  );
  if (users.isPending) return <section className="card">{search}<Spinner label="Loading users" /></section>;
  if (users.isError) return <section className="card">{search}<ErrorMessage error={users.error} onRetry={() => void users.refetch()} /></section>;
  const shown = users.data.pages.flatMap((p) => p.items).filter((u) => u.role === 'customer' || u.role === 'organizer');
  return (
    <section className="card">
      {search}
      {setRole.error && <ErrorMessage error={setRole.error} title="Role not changed" />}
      {shown.length === 0 ? (
        <Empty title={q ? `No customer or organizer starting with “${q}”` : 'No customers or organizers yet'} />
      ) : (
        <TableWrap label="Organizers and customers">
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
        </TableWrap>
      )}
      <MoreButton query={users} label="More accounts" />
    </section>
  );
}

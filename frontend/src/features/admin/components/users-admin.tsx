import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';

import { ConfirmDialog } from '@/components/ui/confirm';
import { Badge, Empty, ErrorMessage, Notice } from '@/components/ui/feedback';
import { Field, SelectField } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { useAuth } from '@/lib/auth';
import { useDebounced } from '@/lib/debounce';
import { fieldsNamed, useApiFieldErrors } from '@/lib/field-errors';
import { ROLES, type Role, type User } from '@/types/api';

import { useCreateUser, useRevokeSessions, useSetRole, useUsers } from '../api/users';
import { MoreButton } from './bookings-table';

const ROLE_TONE: Record<Role, string> = { customer: 'neutral', organizer: 'green', auditor: 'blue', admin: 'amber' };

export function validateNewUser(v: { name: string; email: string; password: string }): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!v.name.trim()) errors.name = 'Their name.';
  if (!/^\S+@\S+\.\S+$/.test(v.email.trim())) errors.email = 'A valid email address.';
  if (v.password.length < 8) errors.password = 'At least 8 characters.';
  return errors;
}

// UserCreateIn's fields have the form's names.
const newUserFormKey = fieldsNamed(['name', 'email', 'password', 'role']);

/** An admin creates an account of any role. */
export function CreateUserForm() {
  const create = useCreateUser();
  const [values, setValues] = useState({ name: '', email: '', password: '', role: 'customer' as Role });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const elsewhere = useApiFieldErrors(create.error, newUserFormKey, setErrors);
  const set = (key: keyof typeof values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validateNewUser(values);
    setErrors(found);
    if (Object.keys(found).length) return;
    create.mutate(
      { name: values.name.trim(), email: values.email.trim(), password: values.password, role: values.role },
      { onSuccess: () => setValues({ name: '', email: '', password: '', role: values.role }) },
    );
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Create a user">
      <div className="grid-4">
        <Field label="Name" value={values.name} error={errors.name} onChange={set('name')} />
        <Field label="Email" type="email" value={values.email} error={errors.email} onChange={set('email')} />
        <Field label="Password" type="password" autoComplete="new-password" value={values.password} error={errors.password} onChange={set('password')} />
        <SelectField label="Role" value={values.role} error={errors.role} onChange={set('role')}>
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </SelectField>
      </div>
      {create.error && <ErrorMessage error={create.error} title="Not created" problems={elsewhere} />}
      {create.data && <Notice tone="success">Created {create.data.name} ({create.data.email}) as {create.data.role}.</Notice>}
      <button type="submit" className="btn" disabled={create.isPending}>{create.isPending ? 'Creating…' : 'Create user'}</button>
    </form>
  );
}

/**
 * Every account, searched on the server and paged: change a role (never one's own), revoke a
 * user's sessions, see and cancel their bookings.
 */
export function UsersAdmin() {
  const { user: me } = useAuth();
  const [typed, setTyped] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const q = useDebounced(typed.trim());
  const users = useUsers({ q, role: role || undefined });
  const setUserRole = useSetRole();
  const revoke = useRevokeSessions();
  const [revoking, setRevoking] = useState<User | null>(null);
  const items = users.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <form className="filters filters--users" role="search" aria-label="Find users" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search users" type="search" value={typed} placeholder="Start of a name or email" onChange={(e) => setTyped(e.target.value)} />
        <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
          <option value="">Every role</option>
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </SelectField>
      </form>
      {setUserRole.error && <ErrorMessage error={setUserRole.error} title="Role not changed" />}
      {revoke.isSuccess && <Notice tone="success">Sessions revoked: that user must log in again.</Notice>}
      {users.isPending && <Spinner label="Loading users" />}
      {users.isError && <ErrorMessage error={users.error} onRetry={() => void users.refetch()} />}
      {users.isSuccess && items.length === 0 && <Empty title={q ? `No user starts with “${q}”` : 'No users'} />}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Users" aria-busy={users.isFetching}>
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {items.map((u) => (
                <tr key={u.id} data-testid={`user-${u.email}`}>
                  <th scope="row">{u.name}{u.id === me?.id && <small className="muted"> (you)</small>}</th>
                  <td>{u.email}</td>
                  <td>
                    {u.id === me?.id ? (
                      <Badge tone={ROLE_TONE[u.role]}>{u.role}</Badge>
                    ) : (
                      <select aria-label={`Role of ${u.name}`} value={u.role} disabled={setUserRole.isPending}
                        onChange={(e) => setUserRole.mutate({ userId: u.id, role: e.target.value as Role })}>
                        {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                      </select>
                    )}
                  </td>
                  <td className="actions">
                    <Link to={`/admin/users/${u.id}/bookings`} state={{ name: u.name }}>Bookings</Link>
                    {u.id !== me?.id && (
                      <button type="button" className="link link--danger" onClick={() => setRevoking(u)}>Revoke sessions</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MoreButton query={users} label="More users" />
      <ConfirmDialog
        open={!!revoking} title={`Sign ${revoking?.name ?? ''} out everywhere?`} confirmLabel="Yes, revoke them" cancelLabel="Not now"
        busy={revoke.isPending}
        onCancel={() => { setRevoking(null); revoke.reset(); }}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}
      >
        <p>Every token of {revoking?.email} stops working at once: they must log in again on every device.</p>
        {revoke.error && <ErrorMessage error={revoke.error} title="Not revoked" />}
      </ConfirmDialog>
    </>
  );
}

import { useTranslation } from 'react-i18next';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';

import { ConfirmDialog } from '@/components/ui/confirm';
import { Badge, Empty, ErrorMessage, Notice } from '@/components/ui/feedback';
import { Field, SelectField } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { useAuth } from '@/lib/auth';
import { useDebounced } from '@/lib/debounce';
import { fieldsNamed, useApiFieldErrors } from '@/lib/field-errors';
import { ROLES, type Role, type User } from '@/types/api';

import { isErased } from '../api/erasure';
import { useCreateUser, useRevokeSessions, useSetRole, useUsers } from '../api/users';
import { MoreButton } from './bookings-table';
import { EraseUserDialog, useUserDataDownload } from './erase-user';

const ROLE_TONE: Record<Role, string> = { customer: 'neutral', organizer: 'green', auditor: 'blue', admin: 'amber' };

const ROLE_NOUN: Record<Role, string> = { customer: 'a customer', organizer: 'an organizer', auditor: 'an auditor', admin: 'an admin' };

// What the new role lets them do, as docs/SECURITY.md's table of rights says.
const ROLE_POWERS: Record<Role, string> = {
  customer: 'They will be able to book tickets and see their own bookings, nothing more.',
  organizer: 'They will be able to create and run events.',
  auditor: 'They will be able to read every event’s bookings and the audit views, and run the ledger’s checks, without changing any event or booking.',
  admin: 'They will be able to do everything, including changing other users’ roles.',
};

/**
 * What leaving `from` for `to` takes away, or null. The API reads the role on every request and
 * authorizes each webhook delivery on the owner's role now, so both stop at once.
 */
export function roleLoss(from: Role, to: Role): string | null {
  if (from === 'admin' && to === 'organizer') {
    return 'They lose admin rights at once: their webhooks for every event stop, and only those for an event they run keep sending.';
  }
  if (from === 'admin') return 'They lose admin rights at once, and their webhooks stop.';
  if (from === 'organizer' && to !== 'admin') {
    return 'They lose every right on the events they run at once, and their webhooks stop. They stay those events’ organizer of record: an admin can transfer the events.';
  }
  return null;
}

/** The confirmation of a role change, in words: "Make Rita Lobo an organizer?" and what follows. */
export function roleChangeWords(user: Pick<User, 'name' | 'role'>, to: Role): { question: string; consequences: string[] } {
  const loss = roleLoss(user.role, to);
  return { question: `Make ${user.name} ${ROLE_NOUN[to]}?`, consequences: loss ? [ROLE_POWERS[to], loss] : [ROLE_POWERS[to]] };
}

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
 * Every account, searched on the server and paged: change a role once confirmed (never one's
 * own), revoke a user's sessions, see and cancel their bookings, download what is held about
 * them, erase their personal data (never one's own here: My account deletes it). An erased
 * user reads "erased", with no e-mail, and keeps only their bookings and their data's download.
 */
export function UsersAdmin() {
  const { t } = useTranslation('privacy');
  const { user: me } = useAuth();
  const [typed, setTyped] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const q = useDebounced(typed.trim());
  const users = useUsers({ q, role: role || undefined });
  const setUserRole = useSetRole();
  const revoke = useRevokeSessions();
  const [revoking, setRevoking] = useState<User | null>(null);
  const [erasing, setErasing] = useState<User | null>(null);
  const [erasedName, setErasedName] = useState<string | null>(null);
  const eraseOpener = useRef<HTMLButtonElement | null>(null); // kept: the focus goes back to it when kept
  // An erased user's row loses the button that opened the dialog: the focus goes to the notice saying it is done.
  const erasedNotice = useRef<HTMLDivElement>(null);
  useEffect(() => { if (erasedName) erasedNotice.current?.focus(); }, [erasedName]);
  const data = useUserDataDownload();
  // A role chosen in a row's select, waiting for the admin to confirm it: nothing is sent before.
  const [roleChange, setRoleChange] = useState<{ user: User; role: Role } | null>(null);
  const items = users.data?.pages.flatMap((p) => p.items) ?? [];
  const saved = setUserRole.data;
  // The list is fetched again after a change: until it answers, the saved role is the latest word.
  const roleShown = (u: User): Role =>
    roleChange?.user.id === u.id ? roleChange.role : saved?.id === u.id && users.isFetching ? saved.role : u.role;
  const chooseRole = (u: User, role: Role) => {
    if (role === u.role) return;
    setUserRole.reset();
    setRoleChange({ user: u, role });
  };
  const keepRole = () => {
    if (setUserRole.isPending) return; // Escape while saving: the answer decides
    setRoleChange(null);
    setUserRole.reset();
  };
  const confirmRole = () =>
    roleChange && setUserRole.mutate({ userId: roleChange.user.id, role: roleChange.role }, { onSuccess: () => setRoleChange(null) });
  const roleWords = roleChange && roleChangeWords(roleChange.user, roleChange.role);

  return (
    <>
      <form className="filters filters--users" role="search" aria-label="Find users" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search users" type="search" value={typed} placeholder="Start of a name or email" onChange={(e) => setTyped(e.target.value)} />
        <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
          <option value="">Every role</option>
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </SelectField>
      </form>
      {saved && <Notice tone="success">{saved.name} is now {ROLE_NOUN[saved.role]}.</Notice>}
      {revoke.isSuccess && <Notice tone="success">Sessions revoked: that user must log in again.</Notice>}
      {erasedName && <div ref={erasedNotice} tabIndex={-1}><Notice tone="success">{t('admin.done', { name: erasedName })}</Notice></div>}
      {data.saved && <Notice tone="success">{t('admin.saved', { name: data.saved })}</Notice>}
      {data.error !== undefined && <ErrorMessage error={data.error} title={t('admin.notDownloaded')} />}
      {users.isPending && <Spinner label="Loading users" />}
      {users.isError && <ErrorMessage error={users.error} onRetry={() => void users.refetch()} />}
      {users.isSuccess && items.length === 0 && <Empty title={q ? `No user starts with “${q}”` : 'No users'} />}
      {items.length > 0 && (
        <TableWrap label="Users">
          <table className="table" aria-label="Users" aria-busy={users.isFetching}>
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {items.map((u) => (
                <tr key={u.id} data-testid={`user-${u.email ?? u.id}`}>
                  <th scope="row">
                    {isErased(u) ? <Badge>{t('erased')}</Badge> : u.name}
                    {u.id === me?.id && <small className="muted"> (you)</small>}
                  </th>
                  <td>
                    {isErased(u) ? <><span aria-hidden="true">—</span><span className="sr-only">{t('admin.noEmail')}</span></> : u.email}
                  </td>
                  <td>
                    {u.id === me?.id || isErased(u) ? (
                      <Badge tone={ROLE_TONE[u.role]}>{u.role}</Badge>
                    ) : (
                      <select aria-label={`Role of ${u.name}`} value={roleShown(u)} disabled={setUserRole.isPending}
                        onChange={(e) => chooseRole(u, e.target.value as Role)}>
                        {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                      </select>
                    )}
                  </td>
                  <td className="actions">
                    <Link to={`/admin/users/${u.id}/bookings`} state={{ name: isErased(u) ? t('erased') : u.name }}>Bookings</Link>
                    <button type="button" className="link" disabled={data.busy !== null}
                      aria-label={t('admin.downloadOf', { name: isErased(u) ? t('erased') : u.name })}
                      onClick={() => { setErasedName(null); void data.download(u.id); }}>{t('admin.download')}</button>
                    {u.id !== me?.id && !isErased(u) && (
                      <>
                        <button type="button" className="link link--danger" onClick={() => setRevoking(u)}>Revoke sessions</button>
                        <button type="button" className="link link--danger" aria-label={t('admin.eraseOf', { name: u.name })}
                          onClick={(e) => { eraseOpener.current = e.currentTarget; setErasedName(null); data.reset(); setErasing(u); }}>
                          {t('admin.erase')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
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
      <EraseUserDialog user={erasing} onErased={(name) => { setErasing(null); setErasedName(name); }}
        onClose={() => { setErasing(null); eraseOpener.current?.focus(); }} />
      <ConfirmDialog
        open={!!roleChange} title={roleWords?.question ?? ''} confirmLabel="Confirm" cancelLabel="Cancel" focus="cancel"
        busy={setUserRole.isPending} onCancel={keepRole} onConfirm={confirmRole}
      >
        {roleWords?.consequences.map((sentence) => <p key={sentence}>{sentence}</p>)}
        {setUserRole.error && <ErrorMessage error={setUserRole.error} title="Role not changed" />}
      </ConfirmDialog>
    </>
  );
}

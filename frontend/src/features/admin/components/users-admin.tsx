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
import { i18n } from '@/lib/i18n';
import { fieldsNamed, useApiFieldErrors } from '@/lib/field-errors';
import { ROLES, type Role, type User } from '@/types/api';

import { isErased } from '../api/erasure';
import { useCreateUser, useRevokeSessions, useSetRole, useUsers } from '../api/users';
import { MoreButton } from './bookings-table';
import { EraseUserDialog, useUserDataDownload } from './erase-user';

const ROLE_TONE: Record<Role, string> = { customer: 'neutral', organizer: 'green', auditor: 'blue', admin: 'amber' };

// What the new role lets them do, as docs/SECURITY.md's table of rights says: admin:users.powers.<role>.
const rolePowers = (role: Role): string => i18n.t(`admin:users.powers.${role}`);

/**
 * What leaving `from` for `to` takes away, or null. The API reads the role on every request and
 * authorizes each webhook delivery on the owner's role now, so both stop at once.
 */
export function roleLoss(from: Role, to: Role): string | null {
  if (from === 'admin' && to === 'organizer') {
    return i18n.t('admin:users.loss.adminToOrganizer');
  }
  if (from === 'admin') return i18n.t('admin:users.loss.admin');
  if (from === 'organizer' && to !== 'admin') return i18n.t('admin:users.loss.organizer');
  return null;
}

/** The confirmation of a role change, in words: "Make Rita Lobo an organizer?" and what follows. */
export function roleChangeWords(user: Pick<User, 'name' | 'role'>, to: Role): { question: string; consequences: string[] } {
  const loss = roleLoss(user.role, to);
  const question = i18n.t(`admin:users.makeAsk.${to}`, { name: user.name });
  return { question, consequences: loss ? [rolePowers(to), loss] : [rolePowers(to)] };
}

export function validateNewUser(v: { name: string; email: string; password: string }): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!v.name.trim()) errors.name = i18n.t('admin:users.form.nameMissing');
  if (!/^\S+@\S+\.\S+$/.test(v.email.trim())) errors.email = i18n.t('admin:users.form.emailInvalid');
  if (v.password.length < 8) errors.password = i18n.t('admin:users.form.passwordShort');
  return errors;
}

// UserCreateIn's fields have the form's names.
const newUserFormKey = fieldsNamed(['name', 'email', 'password', 'role']);

/** An admin creates an account of any role. */
export function CreateUserForm() {
  const { t } = useTranslation('admin');
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
    <form className="form" onSubmit={submit} noValidate aria-label={t('users.form.label')}>
      <div className="grid-4">
        <Field label={t('users.form.name')} value={values.name} error={errors.name} onChange={set('name')} />
        <Field label={t('users.form.email')} type="email" value={values.email} error={errors.email} onChange={set('email')} />
        <Field label={t('users.form.password')} type="password" autoComplete="new-password" value={values.password} error={errors.password} onChange={set('password')} />
        <SelectField label={t('users.form.role')} value={values.role} error={errors.role} onChange={set('role')}>
          {ROLES.map((r) => <option key={r} value={r}>{t(`common:roles.${r}`)}</option>)}
        </SelectField>
      </div>
      {create.error && <ErrorMessage error={create.error} title={t('users.form.notCreated')} problems={elsewhere} />}
      {create.data && <Notice tone="success">{t('users.form.created', { name: create.data.name, email: create.data.email, role: t(`common:roles.${create.data.role}`) })}</Notice>}
      <button type="submit" className="btn" disabled={create.isPending}>{create.isPending ? t('users.form.creating') : t('users.form.create')}</button>
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
  const { t } = useTranslation('admin');
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
      <form className="filters filters--users" role="search" aria-label={t('users.find')} onSubmit={(e) => e.preventDefault()}>
        <Field label={t('users.search')} type="search" value={typed} placeholder={t('users.searchPlaceholder')} onChange={(e) => setTyped(e.target.value)} />
        <SelectField label={t('users.role')} value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
          <option value="">{t('users.everyRole')}</option>
          {ROLES.map((r) => <option key={r} value={r}>{t(`common:roles.${r}`)}</option>)}
        </SelectField>
      </form>
      {saved && <Notice tone="success">{t(`users.isNow.${saved.role}`, { name: saved.name })}</Notice>}
      {revoke.isSuccess && <Notice tone="success">{t('users.revoked')}</Notice>}
      {erasedName && <div ref={erasedNotice} tabIndex={-1}><Notice tone="success">{t('privacy:admin.done', { name: erasedName })}</Notice></div>}
      {data.saved && <Notice tone="success">{t('privacy:admin.saved', { name: data.saved })}</Notice>}
      {data.error !== undefined && <ErrorMessage error={data.error} title={t('privacy:admin.notDownloaded')} />}
      {users.isPending && <Spinner label={t('users.loading')} />}
      {users.isError && <ErrorMessage error={users.error} onRetry={() => void users.refetch()} />}
      {users.isSuccess && items.length === 0 && <Empty title={q ? t('users.noneStarting', { q }) : t('users.none')} />}
      {items.length > 0 && (
        <TableWrap label={t('users.table')}>
          {/* The last search's rows stay until this one answers, out of reach: the answer moves them under the pointer. */}
          <table className="table" aria-label={t('users.table')} aria-busy={users.isFetching} inert={users.isPlaceholderData}>
            <thead><tr><th scope="col">{t('users.name')}</th><th scope="col">{t('users.email')}</th><th scope="col">{t('users.role')}</th><th scope="col"><span className="sr-only">{t('users.actions')}</span></th></tr></thead>
            <tbody>
              {items.map((u) => (
                <tr key={u.id} data-testid={`user-${u.email ?? u.id}`}>
                  <th scope="row">
                    {isErased(u) ? <Badge>{t('privacy:erased')}</Badge> : u.name}
                    {u.id === me?.id && <small className="muted"> {t('users.you')}</small>}
                  </th>
                  <td>
                    {isErased(u) ? <><span aria-hidden="true">—</span><span className="sr-only">{t('privacy:admin.noEmail')}</span></> : u.email}
                  </td>
                  <td>
                    {u.id === me?.id || isErased(u) ? (
                      <Badge tone={ROLE_TONE[u.role]}>{t(`common:roles.${u.role}`)}</Badge>
                    ) : (
                      <select aria-label={t('users.roleOf', { name: u.name })} value={roleShown(u)} disabled={setUserRole.isPending}
                        onChange={(e) => chooseRole(u, e.target.value as Role)}>
                        {ROLES.map((r) => <option key={r} value={r}>{t(`common:roles.${r}`)}</option>)}
                      </select>
                    )}
                  </td>
                  <td className="actions">
                    <Link to={`/admin/users/${u.id}/bookings`} state={{ name: isErased(u) ? t('privacy:erased') : u.name }}>{t('users.bookings')}</Link>
                    <button type="button" className="link" disabled={data.busy !== null}
                      aria-label={t('privacy:admin.downloadOf', { name: isErased(u) ? t('privacy:erased') : u.name })}
                      onClick={() => { setErasedName(null); void data.download(u.id); }}>{t('privacy:admin.download')}</button>
                    {u.id !== me?.id && !isErased(u) && (
                      <>
                        <button type="button" className="link link--danger" onClick={() => setRevoking(u)}>{t('users.revoke')}</button>
                        <button type="button" className="link link--danger" aria-label={t('privacy:admin.eraseOf', { name: u.name })}
                          onClick={(e) => { eraseOpener.current = e.currentTarget; setErasedName(null); data.reset(); setErasing(u); }}>
                          {t('privacy:admin.erase')}
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
      <MoreButton query={users} label={t('users.more')} />
      <ConfirmDialog
        open={!!revoking} title={t('users.revokeAsk', { name: revoking?.name ?? '' })} confirmLabel={t('users.revokeConfirm')} cancelLabel={t('users.revokeKeep')}
        busy={revoke.isPending}
        onCancel={() => { setRevoking(null); revoke.reset(); }}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}
      >
        <p>{t('users.revokeBody', { email: revoking?.email ?? '' })}</p>
        {revoke.error && <ErrorMessage error={revoke.error} title={t('users.notRevoked')} />}
      </ConfirmDialog>
      <EraseUserDialog user={erasing} onErased={(name) => { setErasing(null); setErasedName(name); }}
        onClose={() => { setErasing(null); eraseOpener.current?.focus(); }} />
      <ConfirmDialog
        open={!!roleChange} title={roleWords?.question ?? ''} confirmLabel={t('users.confirm')} cancelLabel={t('users.cancel')} focus="cancel"
        busy={setUserRole.isPending} onCancel={keepRole} onConfirm={confirmRole}
      >
        {roleWords?.consequences.map((sentence) => <p key={sentence}>{sentence}</p>)}
        {setUserRole.error && <ErrorMessage error={setUserRole.error} title={t('users.roleNotChanged')} />}
      </ConfirmDialog>
    </>
  );
}

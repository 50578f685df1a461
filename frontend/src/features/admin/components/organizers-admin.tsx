import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Badge, Empty, ErrorMessage } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { useAuth } from '@/lib/auth';
import { useDebounced } from '@/lib/debounce';
import { personName } from '@/lib/persons';

import { useSetRole, useUsers } from '../api/users';
import { MoreButton } from './bookings-table';

/** Admins grant the organizer role to customers and revoke it (PATCH /api/users/{id}); the
 * accounts are searched on the server by the start of their name or email. */
export function OrganizersAdmin() {
  const { t } = useTranslation('admin');
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim());
  const users = useUsers({ q });
  const setRole = useSetRole();
  const { user: me } = useAuth();
  const search = (
    <Field label={t('organizers.search')} type="search" value={typed} placeholder={t('organizers.searchPlaceholder')}
      onChange={(e) => setTyped(e.target.value)} />
  );
  if (users.isPending) return <section className="card">{search}<Spinner label={t('organizers.loading')} /></section>;
  if (users.isError) return <section className="card">{search}<ErrorMessage error={users.error} onRetry={() => void users.refetch()} /></section>;
  const shown = users.data.pages.flatMap((p) => p.items).filter((u) => u.role === 'customer' || u.role === 'organizer');
  return (
    <section className="card">
      {search}
      {setRole.error && <ErrorMessage error={setRole.error} title={t('organizers.notChanged')} />}
      {shown.length === 0 ? (
        <Empty title={q ? t('organizers.noneStarting', { q }) : t('organizers.none')} />
      ) : (
        <TableWrap label={t('organizers.table')}>
          {/* As the users page's: the last search's rows out of reach until this one answers. */}
          <table className="table" aria-label={t('organizers.table')} aria-busy={users.isFetching} inert={users.isPlaceholderData}>
            <thead><tr><th scope="col">{t('organizers.name')}</th><th scope="col">{t('organizers.email')}</th><th scope="col">{t('organizers.role')}</th><th scope="col"><span className="sr-only">{t('organizers.actions')}</span></th></tr></thead>
            <tbody>
              {shown.map((u) => (
                <tr key={u.id} data-testid={`user-${u.email}`}>
                  <th scope="row">{personName(u.name)}</th>
                  <td>{u.email}</td>
                  <td><Badge tone={u.role === 'organizer' ? 'green' : 'neutral'}>{t(`common:roles.${u.role}`)}</Badge></td>
                  <td className="actions">
                    {u.id !== me?.id && (
                      <button
                        type="button" className="link" disabled={setRole.isPending}
                        onClick={() => setRole.mutate({ userId: u.id, role: u.role === 'organizer' ? 'customer' : 'organizer' })}
                      >
                        {u.role === 'organizer' ? t('organizers.revoke') : t('organizers.make')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <MoreButton query={users} label={t('organizers.more')} />
    </section>
  );
}

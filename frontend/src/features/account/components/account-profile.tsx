import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';

import { useProfile } from '../api/get-profile';

export function AccountProfile() {
  const profile = useProfile();
  const { t } = useTranslation('account');
  if (profile.isPending) return <Spinner label={t('profile.loading')} />;
  if (profile.isError) return <ErrorMessage error={profile.error} onRetry={() => void profile.refetch()} />;
  const user = profile.data;
  return (
    <dl className="profile" aria-label={t('profile.title')}>
      <dt>{t('profile.name')}</dt>
      <dd>{user.name}</dd>
      <dt>{t('profile.email')}</dt>
      <dd>{user.email}</dd>
      {user.phone && (
        <>
          <dt>{t('profile.phone')}</dt>
          <dd>{user.phone}</dd>
        </>
      )}
      <dt>{t('profile.role')}</dt>
      <dd>{t(`common:roles.${user.role}`)}</dd>
    </dl>
  );
}

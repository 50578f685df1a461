import { useTranslation } from 'react-i18next';
import { AccountDeleted } from '@/features/account/components/account-deleted';
import { AccountProfile } from '@/features/account/components/account-profile';
import { ChangePasswordForm } from '@/features/account/components/change-password-form';
import { DeleteAccount } from '@/features/account/components/delete-account';
import { DownloadMyData } from '@/features/account/components/download-my-data';
import { SignOutEverywhere } from '@/features/account/components/sign-out-everywhere';

export function AccountRoute() {
  const { t } = useTranslation('account');
  return (
    <div className="account">
      <h1>{t('title')}</h1>
      <section className="card" aria-labelledby="account-profile">
        <h2 id="account-profile">{t('profile.title')}</h2>
        <AccountProfile />
      </section>
      <section className="card" aria-labelledby="account-password">
        <h2 id="account-password">{t('password.title')}</h2>
        <p className="muted">{t('password.lead')}</p>
        <ChangePasswordForm />
      </section>
      <section className="card" aria-labelledby="account-data">
        <h2 id="account-data">{t('data.title')}</h2>
        <DownloadMyData />
      </section>
      <section className="card" aria-labelledby="account-sessions">
        <h2 id="account-sessions">{t('everywhere.title')}</h2>
        <SignOutEverywhere />
      </section>
      <section className="card" aria-labelledby="account-delete">
        <h2 id="account-delete">{t('privacy:deleteAccount.title')}</h2>
        <DeleteAccount />
      </section>
    </div>
  );
}

/** Where the browser lands once its account is deleted (signed out by then: no sign-in asked). */
export function AccountDeletedRoute() {
  return <AccountDeleted />;
}

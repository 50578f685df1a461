import { AccountProfile } from '@/features/account/components/account-profile';
import { ChangePasswordForm } from '@/features/account/components/change-password-form';
import { DownloadMyData } from '@/features/account/components/download-my-data';
import { SignOutEverywhere } from '@/features/account/components/sign-out-everywhere';

export function AccountRoute() {
  return (
    <div className="account">
      <h1>Account</h1>
      <section className="card" aria-labelledby="account-profile">
        <h2 id="account-profile">Profile</h2>
        <AccountProfile />
      </section>
      <section className="card" aria-labelledby="account-password">
        <h2 id="account-password">Change password</h2>
        <p className="muted">Your other devices are signed out; this one stays signed in.</p>
        <ChangePasswordForm />
      </section>
      <section className="card" aria-labelledby="account-data">
        <h2 id="account-data">Your data</h2>
        <DownloadMyData />
      </section>
      <section className="card" aria-labelledby="account-sessions">
        <h2 id="account-sessions">Sign out everywhere</h2>
        <SignOutEverywhere />
      </section>
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';

import { LoginForm } from '@/features/auth/components/login-form';
import { SignupForm } from '@/features/auth/components/signup-form';

function useNext() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = params.get('next');
  return () => navigate(next && next.startsWith('/') ? next : '/');
}

export function LoginRoute() {
  const done = useNext();
  const { t } = useTranslation('auth');
  return (
    <div className="card narrow">
      <h1>{t('login.title')}</h1>
      <p className="muted">{t('login.lead')}</p>
      <LoginForm onSuccess={done} />
      <p className="muted">{t('login.noAccount')} <Link to="/signup">{t('common:layout.signUp')}</Link></p>
    </div>
  );
}

export function SignupRoute() {
  const done = useNext();
  const { t } = useTranslation('auth');
  return (
    <div className="card narrow">
      <h1>{t('signup.title')}</h1>
      <p className="muted">{t('signup.lead')}</p>
      <SignupForm onSuccess={done} />
      <p className="muted">{t('signup.haveOne')} <Link to="/login">{t('common:layout.logIn')}</Link></p>
    </div>
  );
}

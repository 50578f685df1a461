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
  return (
    <div className="card narrow">
      <h1>Log in</h1>
      <p className="muted">Book seats and see your tickets.</p>
      <LoginForm onSuccess={done} />
      <p className="muted">No account yet? <Link to="/signup">Sign up</Link></p>
    </div>
  );
}

export function SignupRoute() {
  const done = useNext();
  return (
    <div className="card narrow">
      <h1>Create your account</h1>
      <p className="muted">It takes a few seconds; then book right away.</p>
      <SignupForm onSuccess={done} />
      <p className="muted">Already have one? <Link to="/login">Log in</Link></p>
    </div>
  );
}

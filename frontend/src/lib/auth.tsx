import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';

import { Spinner } from '@/components/ui/spinner';
import type { Role, Schemas, Token, User } from '@/types/api';

import { api, onUnauthorized, positions, tokenStore } from './api-client';
import { currentLanguage, i18n, isLanguage } from './i18n';

export const meQueryKey = ['me'] as const;

async function getMe(): Promise<User | null> {
  if (!tokenStore.get()) return null;
  const { data } = await api.get<User>('/users/me');
  return data;
}

export type SignupInput = Schemas['SignupIn'];
/** Sign-in asks for the email the account signed up with; the OAuth2 token form calls it `username`. */
export type Credentials = Pick<SignupInput, 'email' | 'password'>;

async function login({ email, password }: Credentials): Promise<User> {
  const form = new URLSearchParams({ username: email, password } satisfies Pick<Schemas['Body_login'], 'username' | 'password'>);
  const { data } = await api.post<Token>('/auth/token', form, {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  tokenStore.set(data.access_token);
  const me = await getMe();
  if (!me) throw new Error(i18n.t('auth:profileUnread'));
  return me;
}

async function signup(input: SignupInput): Promise<User> {
  // The account starts in the language the page speaks: its first messages are sent in it.
  await api.post('/auth/signup', { ...input, phone: input.phone || undefined, language: currentLanguage() } satisfies SignupInput);
  return login(input);
}

interface AuthValue {
  user: User | null;
  loading: boolean;
  hasRole: (...roles: readonly Role[]) => boolean;
}

const AuthContext = createContext<AuthValue>({ user: null, loading: false, hasRole: () => false });

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery({ queryKey: meQueryKey, queryFn: getMe, staleTime: Infinity, retry: false });
  // The account's language wins at sign-in (and when a session is found on arrival): the page speaks it.
  const accountLanguage = me.data?.language;
  useEffect(() => {
    if (isLanguage(accountLanguage) && accountLanguage !== currentLanguage()) void i18n.changeLanguage(accountLanguage);
  }, [accountLanguage]);

  useEffect(
    () =>
      onUnauthorized(() => {
        queryClient.setQueryData(meQueryKey, null);
      }),
    [queryClient],
  );

  const value = useMemo<AuthValue>(() => {
    const user = me.data ?? null;
    return { user, loading: me.isLoading, hasRole: (...roles) => !!user && roles.includes(user.role) };
  }, [me.data, me.isLoading]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export const useAuth = () => useContext(AuthContext);

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (user) => queryClient.setQueryData(meQueryKey, user),
  });
}

export function useSignup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signup,
    onSuccess: (user) => queryClient.setQueryData(meQueryKey, user),
  });
}

/** Tell the API to revoke every token of this account; signing out here never waits for it. */
function revokeOnServer(token: string | null): void {
  if (!token) return;
  // The header is set here: the token is cleared below before axios's interceptor would read it.
  api.post('/auth/logout', null, { headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
}

/** Forget the session in this browser only (the token, positions and every cached answer). */
export function useEndSession() {
  const queryClient = useQueryClient();
  return () => {
    tokenStore.clear();
    positions.reset();
    // The session's own answer becomes "nobody" in place: its observer (AuthProvider) hears of it. Cleared with the
    // rest, it would be a new entry no observer watches, and the page would go on showing the account.
    queryClient.setQueryData(meQueryKey, null);
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
    queryClient.getMutationCache().clear();
  };
}

// A navigation's state saying the page it reaches ends the session (`SessionEndsHere`).
const SIGNING_OUT = 'signingOut';

/**
 * Sign out on the way to `to`: the token is forgotten at once, the session's answers (who is signed in) once `to`
 * shows. Forgotten before, the signed-in page being left would send the reader to sign in first: the navigation is a
 * transition, drawn after the page that is still shown learns that no one is signed in.
 */
export function useSignOutTo() {
  const navigate = useNavigate();
  return (to: string, { replace = false }: { replace?: boolean } = {}) => {
    tokenStore.clear();
    positions.reset();
    navigate(to, { replace, state: { [SIGNING_OUT]: true } });
  };
}

/** Ends the session on the page `useSignOutTo` led to; rendered once, inside the router and the AuthProvider. */
export function SessionEndsHere() {
  const location = useLocation();
  const navigate = useNavigate();
  const endSession = useEndSession();
  const asked = (location.state as Record<string, unknown> | null)?.[SIGNING_OUT] === true;
  useEffect(() => {
    if (!asked) return;
    endSession();
    // The state goes with it: a reload of this page, or Back to it, ends nothing again.
    navigate(`${location.pathname}${location.search}${location.hash}`, { replace: true, state: null });
  }, [asked]); // once per arrival
  return null;
}

/** The header's "Log out": the API revokes the tokens (not waited for), and the reader goes to the events list. */
export function useLogout() {
  const signOutTo = useSignOutTo();
  return () => {
    revokeOnServer(tokenStore.get());
    signOutTo('/');
  };
}

/** Only for signed-in users (of these roles); others go to the login page. */
export function RequireAuth({ roles, children }: { roles?: readonly Role[]; children: ReactNode }) {
  const { user, loading } = useAuth();
  const location = useLocation();
  const { t } = useTranslation('auth');
  if (loading) return <Spinner label={t('checkingSession')} />;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (roles && !roles.includes(user.role)) {
    return (
      <div className="card narrow" data-testid="not-allowed">
        <h1>{t('notAllowed.title')}</h1>
        <p>{t('notAllowed.body', { roles: roles.join(', '), role: user.role })}</p>
        <Link className="btn" to="/">{t('notAllowed.events')}</Link>
      </div>
    );
  }
  return <>{children}</>;
}

import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink } from 'react-router-dom';

import { LanguageSwitcher } from '@/components/language/language-switcher';
import { TicketIcon } from '@/components/ui/logo';
import { SessionEndsHere, useAuth, useLogout } from '@/lib/auth';
import { navEntries } from '@/lib/authorization';

export function AppLayout({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const logout = useLogout();
  const [open, setOpen] = useState(false);
  const { t } = useTranslation();
  const close = () => setOpen(false);

  return (
    <div className="shell">
      <SessionEndsHere />
      <a className="skip-link" href="#main">{t('layout.skip')}</a>
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/" className="brand" onClick={close}>
            <TicketIcon /> {t('layout.brand')}
          </Link>
          <button
            type="button" className="topbar__toggle" aria-expanded={open} aria-controls="main-nav"
            onClick={() => setOpen((v) => !v)}
          >
            {t('layout.menu')}
          </button>
          <nav id="main-nav" className={`nav ${open ? 'nav--open' : ''}`} aria-label={t('layout.mainNav')}>
            {navEntries(user?.role).map((entry) => (
              <NavLink key={entry.label} to={entry.to} end={entry.end} onClick={close}>{t(`nav.${entry.label}`)}</NavLink>
            ))}
            <span className="nav__spacer" />
            {user ? (
              <>
                <NavLink to="/account" className="nav__user" title={t('layout.accountTitle', { email: user.email })} onClick={close}>
                  {t('layout.account')} <small>{user.name} · {t(`roles.${user.role}`)}</small>
                </NavLink>
                <button
                  type="button" className="btn btn--ghost btn--small"
                  onClick={() => { logout(); close(); }}
                >
                  {t('layout.logOut')}
                </button>
              </>
            ) : (
              <>
                <NavLink to="/login" onClick={close}>{t('layout.logIn')}</NavLink>
                <Link to="/signup" className="btn btn--small" onClick={close}>{t('layout.signUp')}</Link>
              </>
            )}
            <LanguageSwitcher />
          </nav>
        </div>
      </header>
      <main id="main" className="container">{children}</main>
      <footer className="footer">
        {t('layout.footer')} · <a href="/docs">{t('layout.apiDocs')}</a>
      </footer>
    </div>
  );
}

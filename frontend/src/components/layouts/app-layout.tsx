import { useState, type ReactNode } from 'react';
import { Link, NavLink, useNavigate } from 'react-router-dom';

import { TicketIcon } from '@/components/ui/logo';
import { useAuth, useLogout } from '@/lib/auth';
import { navEntries } from '@/lib/authorization';

export function AppLayout({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const logout = useLogout();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/" className="brand" onClick={close}>
            <TicketIcon /> Booking ledger
          </Link>
          <button
            type="button" className="topbar__toggle" aria-expanded={open} aria-controls="main-nav"
            onClick={() => setOpen((v) => !v)}
          >
            Menu
          </button>
          <nav id="main-nav" className={`nav ${open ? 'nav--open' : ''}`} aria-label="Main">
            {navEntries(user?.role).map((entry) => (
              <NavLink key={entry.label} to={entry.to} end={entry.end} onClick={close}>{entry.label}</NavLink>
            ))}
            <span className="nav__spacer" />
            {user ? (
              <>
                <NavLink to="/account" className="nav__user" title={`${user.email}: your account`} onClick={close}>
                  Account <small>{user.name} · {user.role}</small>
                </NavLink>
                <button
                  type="button" className="btn btn--ghost btn--small"
                  onClick={() => { logout(); close(); navigate('/'); }}
                >
                  Log out
                </button>
              </>
            ) : (
              <>
                <NavLink to="/login" onClick={close}>Log in</NavLink>
                <Link to="/signup" className="btn btn--small" onClick={close}>Sign up</Link>
              </>
            )}
          </nav>
        </div>
      </header>
      <main id="main" className="container">{children}</main>
      <footer className="footer">
        Every booking is an immutable event in the ledger · <a href="/docs">API docs</a>
      </footer>
    </div>
  );
}

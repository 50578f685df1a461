import { NavLink, useLocation } from 'react-router-dom';

/** A sub-page; `also` names address prefixes that belong to it too (its detail pages). */
export interface WorkspaceTab { to: string; label: string; end?: boolean; also?: string[] }

/** A workspace's sub-pages as tabs (links: each sub-page has its own address). */
export function WorkspaceNav({ label, tabs }: { label: string; tabs: WorkspaceTab[] }) {
  const { pathname } = useLocation();
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((t) => (
        <NavLink key={t.to} to={t.to} end={t.end}
          className={({ isActive }) => `tabs__tab${isActive || t.also?.some((p) => pathname.startsWith(p)) ? ' is-active' : ''}`}>
          {t.label}
        </NavLink>
      ))}
    </nav>
  );
}

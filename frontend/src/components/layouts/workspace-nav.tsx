import { NavLink } from 'react-router-dom';

export interface WorkspaceTab { to: string; label: string; end?: boolean }

/** A workspace's sub-pages as tabs (links: each sub-page has its own address). */
export function WorkspaceNav({ label, tabs }: { label: string; tabs: WorkspaceTab[] }) {
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((t) => (
        <NavLink key={t.to} to={t.to} end={t.end} className={({ isActive }) => `tabs__tab${isActive ? ' is-active' : ''}`}>
          {t.label}
        </NavLink>
      ))}
    </nav>
  );
}

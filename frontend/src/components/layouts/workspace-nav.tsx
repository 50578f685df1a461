import { useTranslation } from 'react-i18next';
import { NavLink, useLocation } from 'react-router-dom';

/** A sub-page; `also` names address prefixes that belong to it too (its detail pages). `label` is its key in the
 * `manage` catalogue (`tabs.users`). */
export interface WorkspaceTab { to: string; label: string; end?: boolean; also?: string[] }

/** A workspace's sub-pages as tabs (links: each sub-page has its own address). */
export function WorkspaceNav({ label, tabs }: { label: string; tabs: WorkspaceTab[] }) {
  const { pathname } = useLocation();
  const { t } = useTranslation('manage');
  return (
    <nav className="tabs" aria-label={t(label)}>
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to} end={tab.end}
          className={({ isActive }) => `tabs__tab${isActive || tab.also?.some((p) => pathname.startsWith(p)) ? ' is-active' : ''}`}>
          {t(tab.label)}
        </NavLink>
      ))}
    </nav>
  );
}

import { Outlet } from 'react-router-dom';

import { WorkspaceNav } from '@/components/layouts/workspace-nav';

const TABS = [
  { to: '/audit', label: 'Ledger', end: true, also: ['/audit/events/'] },
  { to: '/audit/revenue', label: 'Revenue' },
  { to: '/audit/bookings', label: 'Bookings' },
  { to: '/audit/log', label: 'Log' },
  { to: '/audit/exports', label: 'Exports' },
  { to: '/audit/heads', label: 'Signed heads' },
];

/** The auditor's workspace (admins too): read-only, every page at its own address. */
export function AuditLayout() {
  return (
    <>
      <div className="workspace-head">
        <h1>Audit</h1>
        <p className="muted">Read-only: the ledger as it was, the money, the log and the proofs.</p>
      </div>
      <WorkspaceNav label="Audit workspace" tabs={TABS} />
      <Outlet />
    </>
  );
}

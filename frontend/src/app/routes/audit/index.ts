// The audit workspace's routes, loaded together when one of them is first shown.
export { AuditLayout } from './layout';
export { AuditLedgerRoute } from './ledger';
export { AuditBookingsRoute, AuditExportsRoute, AuditHeadsRoute, AuditLogRoute, AuditRevenueRoute } from './pages';

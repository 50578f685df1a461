import type { ReactNode } from 'react';

import { normaliseError } from '@/lib/api-client';

import { TicketIcon } from './logo';

/** A 404 with the framework's own code (no route), or 405: the server has no such endpoint (yet). */
export function isUnavailable(error: unknown): boolean {
  const e = normaliseError(error);
  return e.code === 'NOT_FOUND' || e.code === 'METHOD_NOT_ALLOWED' || e.status === 405;
}

export function ErrorMessage({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const e = normaliseError(error);
  const unavailable = isUnavailable(e);
  return (
    <div className="alert alert--error" role="alert">
      <strong>{title ?? (e.code === 'NETWORK_ERROR' ? 'Network problem' : unavailable ? 'Not available on this server' : 'Something went wrong')}</strong>
      <p>{unavailable ? 'This server does not offer this yet (the API answered “not found”). Update the server, then try again.' : e.message}</p>
      {e.code !== 'NETWORK_ERROR' && <code className="alert__code">{e.code}</code>}
      {onRetry && (
        <button type="button" className="btn btn--small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Notice({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'success' | 'warning' }) {
  return (
    <div className={`alert alert--${tone}`} role="status">
      {children}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <div className="empty__icon"><TicketIcon size={36} /></div>
      <h3>{title}</h3>
      {children}
    </div>
  );
}

export function Badge({ children, tone = 'neutral' }: { children: ReactNode; tone?: string }) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}

export function statusTone(status: string): string {
  return (
    { active: 'green', 'on-sale': 'green', confirmed: 'green', used: 'blue', completed: 'blue', ended: 'blue', started: 'amber', cancelled: 'red' }[status] ?? 'neutral'
  );
}

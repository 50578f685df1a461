import type { ReactNode } from 'react';

import { normaliseError } from '@/lib/api-client';

import { TicketIcon } from './logo';

export function ErrorMessage({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const e = normaliseError(error);
  return (
    <div className="alert alert--error" role="alert">
      <strong>{title ?? (e.code === 'NETWORK_ERROR' ? 'Network problem' : 'Something went wrong')}</strong>
      <p>{e.message}</p>
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
    { active: 'green', confirmed: 'green', used: 'blue', completed: 'blue', cancelled: 'red' }[status] ?? 'neutral'
  );
}

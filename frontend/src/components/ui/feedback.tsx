import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';

import { normaliseError } from '@/lib/api-client';
import { i18n } from '@/lib/i18n';
import { canRetry, errorSentence } from '@/lib/error-sentences';
import { fieldProblems, type FieldProblem } from '@/lib/field-errors';

import { TicketIcon } from './logo';

/** A 404 with the framework's own code (no route), or 405: the server has no such endpoint (yet). */
export function isUnavailable(error: unknown): boolean {
  const e = normaliseError(error);
  return e.code === 'NOT_FOUND' || e.code === 'METHOD_NOT_ALLOWED' || e.status === 405;
}

/** Where in the request a problem is, as a person reads it: "categories.1.price" -> "categories 2 price". */
function placeName(path: string): string {
  return path.split('.').map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1) : part.replace(/_/g, ' '))).join(' ');
}

// Codes this page makes up itself that tell support nothing the sentence does not.
const NOTHING_FOR_SUPPORT = new Set(['NETWORK_ERROR', 'UNKNOWN']);

/**
 * An error in words: a headline, the sentence for its code (with what to do next), the field problems not shown
 * under a field (`problems`; all of the error's when not given). Only those are announced; the code follows, folded
 * away, as a detail for support. "Try again" is offered only where asking again can help; `next` is what the reader
 * can do about it where that is more than the sentence says (a link to where it is done).
 */
export function ErrorMessage({ error, title, onRetry, problems, next, sentence: said }: {
  error: unknown; title?: string; onRetry?: () => void; problems?: FieldProblem[]; next?: ReactNode;
  /** What went wrong in words meant for this reader, instead of the error code's sentence (said to anyone). */
  sentence?: string;
}) {
  const { t } = useTranslation();
  const e = normaliseError(error);
  const unavailable = isUnavailable(e);
  const sentence = said ?? errorSentence(e);
  // A refusal of one part (an order's line) repeats its message in its detail: said once.
  const listed = (problems ?? fieldProblems(e)).filter((problem) => !sentence.includes(problem.message));
  return (
    <div className="alert alert--error">
      <div role="alert">
        <strong className="alert__title">{title ?? t(e.code === 'NETWORK_ERROR' ? 'error.network' : unavailable ? 'error.unavailable' : 'error.title')}</strong>
        <p>{unavailable ? t('error.unavailableBody') : sentence}</p>
        {next && <p>{next}</p>}
        {listed.length > 0 && (
          <ul className="alert__problems">
            {listed.map((problem, i) => (
              <li key={i}>{problem.path ? `${placeName(problem.path)}: ${problem.message}` : problem.message}</li>
            ))}
          </ul>
        )}
      </div>
      {onRetry && canRetry(e) && (
        <button type="button" className="btn btn--small" onClick={onRetry}>
          {t('error.retry')}
        </button>
      )}
      {!NOTHING_FOR_SUPPORT.has(e.code) && (
        <details className="alert__support" data-testid="error-support">
          <summary>{t('error.support')}</summary>
          <small>{t('error.code')} <code>{e.code}</code></small>
        </details>
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

/** A status or phase in words, in the UI's language ("on-sale", "cancelled", a ticket's "used"). */
export function statusWord(status: string): string {
  return i18n.t(`common:status.${status}`, { defaultValue: status });
}

export function statusTone(status: string): string {
  return (
    { active: 'green', 'on-sale': 'green', confirmed: 'green', used: 'blue', completed: 'blue', ended: 'blue', started: 'amber', cancelled: 'red' }[status] ?? 'neutral'
  );
}

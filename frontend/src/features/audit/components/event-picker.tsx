import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { Badge, Empty, ErrorMessage, statusTone, statusWord } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { useDebounced } from '@/lib/debounce';
import { eventTime } from '@/lib/format';
import type { LedgerEvent } from '@/types/api';

import { useEventSearch } from '../api/events';

/**
 * Find any event (every status, every date), searched on the server page by page: a link to its
 * history, or with `onPick` a choice for the page it is on.
 */
export function EventPicker({ current, onPick, label }: {
  current?: string; onPick?: (event: LedgerEvent) => void; label?: string;
}) {
  const { t } = useTranslation('audit');
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim());
  const events = useEventSearch(q);
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <nav aria-label={t('picker.nav')} className="event-picker">
      <Field label={label ?? t('picker.find')} type="search" value={typed} placeholder={t('picker.placeholder')} onChange={(e) => setTyped(e.target.value)} />
      {events.isPending && <Spinner label={t('picker.searching')} />}
      {events.isError && <ErrorMessage error={events.error} onRetry={() => void events.refetch()} />}
      {events.isSuccess && items.length === 0 && <Empty title={q ? t('picker.noMatch', { q }) : t('picker.none')} />}
      {/* The last search's results stay until this one answers, out of reach: the answer moves them under the pointer. */}
      <ul className="picker" inert={events.isPlaceholderData} aria-busy={events.isPlaceholderData}>
        {items.map((e) => {
          const body = (
            <>
              <strong>{e.name}</strong> <Badge tone={statusTone(e.status)}>{statusWord(e.status)}</Badge>
              <small>{eventTime(e.starts_at, e.timezone)}</small>
            </>
          );
          return (
            <li key={e.id}>
              {onPick ? (
                <button type="button" className="picker__item" aria-current={e.id === current ? 'true' : undefined} onClick={() => onPick(e)}>{body}</button>
              ) : (
                <Link to={`/audit/events/${e.id}`} aria-current={e.id === current ? 'page' : undefined}>{body}</Link>
              )}
            </li>
          );
        })}
      </ul>
      {events.hasNextPage && (
        <button type="button" className="btn btn--ghost btn--small btn--block" disabled={events.isFetchingNextPage}
          onClick={() => void events.fetchNextPage()}>
          {events.isFetchingNextPage ? t('common:loadingMore') : t('picker.more')}
        </button>
      )}
    </nav>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Empty, ErrorMessage } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { useDebounced } from '@/lib/debounce';
import { downloadFile } from '@/lib/download';
import { dateTime } from '@/lib/format';
import { personName } from '@/lib/persons';

import { useAttendees } from '../api/box-office';

// A ticket's status as the door reads it (a key of boxOffice:attendees.status).
const STATUS_KEYS: Record<string, string> = { active: 'notCheckedIn', used: 'checkedIn', cancelled: 'cancelled' };

/** The event's attendees (a row per ticket), searched by name, e-mail or ticket code, and exported as CSV. */
export function AttendeeList({ eventId }: { eventId: string }) {
  const { t } = useTranslation('boxOffice');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const attendees = useAttendees(eventId, q);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>();
  const items = attendees.data?.pages.flatMap((p) => p.items) ?? [];
  const exportCsv = async () => {
    setExporting(true);
    setExportError(undefined);
    try {
      await downloadFile(`/events/${eventId}/attendees.csv`, { fallbackName: `attendees-${eventId}.csv` });
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(false);
    }
  };
  return (
    <>
      <div className="toolbar">
        <Field label={t('attendees.search')} type="search" value={search} placeholder={t('attendees.searchPlaceholder')} onChange={(e) => setSearch(e.target.value)} />
        <button type="button" className="btn btn--ghost" disabled={exporting} onClick={() => void exportCsv()}>
          {exporting ? t('attendees.exporting') : t('attendees.export')}
        </button>
      </div>
      {exportError !== undefined && <ErrorMessage error={exportError} title={t('attendees.notExported')} />}
      {attendees.isPending && <Spinner label={t('attendees.loading')} />}
      {attendees.isError && <ErrorMessage error={attendees.error} onRetry={() => void attendees.refetch()} />}
      {attendees.isSuccess && items.length === 0 && (
        <Empty title={q ? t('attendees.noMatch', { q }) : t('attendees.none')} />
      )}
      {items.length > 0 && (
        <TableWrap label={t('attendees.title')}>
          <table className="table" aria-label={t('attendees.title')}>
            <thead>
              <tr>
                <th scope="col">{t('attendees.name')}</th><th scope="col">{t('attendees.email')}</th><th scope="col">{t('seats.category')}</th>
                <th scope="col">{t('attendees.ticket')}</th><th scope="col">{t('attendees.statusTitle')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.code} data-testid={`attendee-${a.code}`}>
                  <th scope="row">{personName(a.name)}</th>
                  <td>{a.email ?? <span className="muted">{t('attendees.deleted')}</span>}</td>
                  <td>{a.category}</td>
                  <td><code>{a.code}</code></td>
                  <td>{a.status === 'used' ? t('attendees.checkedInAt', { time: dateTime(a.checked_in_at) }) : t(`attendees.status.${STATUS_KEYS[a.status] ?? 'notCheckedIn'}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {attendees.hasNextPage && (
        <button type="button" className="btn btn--ghost" disabled={attendees.isFetchingNextPage} onClick={() => void attendees.fetchNextPage()}>
          {attendees.isFetchingNextPage ? t('common:loadingMore') : t('attendees.more')}
        </button>
      )}
    </>
  );
}

import { useState } from 'react';

import { Empty, ErrorMessage } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { useDebounced } from '@/lib/debounce';
import { downloadFile } from '@/lib/download';
import { dateTime } from '@/lib/format';

import { useAttendees } from '../api/box-office';

const STATUS_WORDS: Record<string, string> = { active: 'Not checked in', used: 'Checked in', cancelled: 'Cancelled' };

/** The event's attendees (a row per ticket), searched by name, e-mail or ticket code, and exported as CSV. */
export function AttendeeList({ eventId }: { eventId: string }) {
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
        <Field label="Search attendees" type="search" value={search} placeholder="Name, e-mail or ticket code" onChange={(e) => setSearch(e.target.value)} />
        <button type="button" className="btn btn--ghost" disabled={exporting} onClick={() => void exportCsv()}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      {exportError !== undefined && <ErrorMessage error={exportError} title="Not exported" />}
      {attendees.isPending && <Spinner label="Loading attendees" />}
      {attendees.isError && <ErrorMessage error={attendees.error} onRetry={() => void attendees.refetch()} />}
      {attendees.isSuccess && items.length === 0 && (
        <Empty title={q ? `No attendee matches “${q}”` : 'No tickets booked on this event yet'} />
      )}
      {items.length > 0 && (
        <TableWrap label="Attendees">
          <table className="table" aria-label="Attendees">
            <thead>
              <tr>
                <th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Category</th>
                <th scope="col">Ticket</th><th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.code} data-testid={`attendee-${a.code}`}>
                  <th scope="row">{a.name}</th>
                  <td>{a.email ?? <span className="muted">account deleted</span>}</td>
                  <td>{a.category}</td>
                  <td><code>{a.code}</code></td>
                  <td>{a.status === 'used' ? `Checked in ${dateTime(a.checked_in_at)}` : STATUS_WORDS[a.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {attendees.hasNextPage && (
        <button type="button" className="btn btn--ghost" disabled={attendees.isFetchingNextPage} onClick={() => void attendees.fetchNextPage()}>
          {attendees.isFetchingNextPage ? 'Loading…' : 'More attendees'}
        </button>
      )}
    </>
  );
}

import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import { Empty, ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { dateTime, plural } from '@/lib/format';

import { type Invoice, type InvoicePage, useEventInvoices, useMyInvoices } from '../api/get-invoices';
import { DownloadInvoice, DownloadInvoicesCsv } from './download-invoice';
import { signedMoney } from './invoice-words';

type Pages = UseInfiniteQueryResult<InfiniteData<InvoicePage>>;

/** How many of each kind a list holds: "2 invoices and 1 cancellation". */
export function documentsWords(items: Pick<Invoice, 'kind'>[]): string {
  const cancellations = items.filter((i) => i.kind === 'cancellation').length;
  const invoices = plural(items.length - cancellations, 'invoice');
  return cancellations ? `${invoices} and ${plural(cancellations, 'cancellation')}` : invoices;
}

/** Invoices and cancellations as a table, the last issued first, page by page; each row's number downloads its PDF.
 * A cancellation's amounts are negative: a column's sum is what stands. */
function InvoiceTable({ invoices, csv, label }: { invoices: Pages; csv: ReactNode; label: string }) {
  const items = invoices.data?.pages.flatMap((p) => p.items) ?? [];
  if (invoices.isPending) return <Spinner label="Loading invoices" />;
  if (invoices.isError) return <ErrorMessage error={invoices.error} onRetry={() => void invoices.refetch()} />;
  if (items.length === 0) {
    return (
      <Empty title="No invoices issued yet">
        <p className="muted">A buyer’s invoice is issued here once they asked for one and paid.</p>
      </Empty>
    );
  }
  return (
    <>
      <div className="toolbar invoices-toolbar">
        <p className="muted">{documentsWords(items)}{invoices.hasNextPage ? ' shown' : ''}, the last issued first.</p>
        {csv}
      </div>
      <TableWrap label={label}>
        <table className="table invoice-table" aria-label={label}>
          <thead>
            <tr>
              <th scope="col">Number</th><th scope="col">Issued</th><th scope="col">Buyer</th><th scope="col">Event</th><th scope="col">Booking</th>
              <th scope="col" className="num">Net</th><th scope="col" className="num">Tax</th><th scope="col" className="num">Gross</th>
            </tr>
          </thead>
          <tbody>
            {items.map((invoice) => (
              // data-label: each cell's name where a phone shows a row as a card, without the header.
              <tr key={invoice.id} data-testid={`invoice-${invoice.number}`}
                className={invoice.kind === 'cancellation' ? 'invoice-table__cancellation' : undefined}>
                <th scope="row" className="invoice-table__number"><DownloadInvoice invoice={invoice} /></th>
                <td className="nowrap invoice-table__issued" data-label="Issued">{dateTime(invoice.issued_at)}</td>
                <td className="invoice-table__buyer">{invoice.buyer}</td>
                <td className="invoice-table__event" data-label="Event">{invoice.event_name}</td>
                <td className="invoice-table__booking" data-label="Booking"><code>{invoice.booking_id.slice(0, 8)}</code></td>
                <td className="num nowrap invoice-table__net" data-label="Net">{signedMoney(invoice, invoice.net)}</td>
                <td className="num nowrap invoice-table__tax" data-label="Tax">{signedMoney(invoice, invoice.tax)}</td>
                <td className="num nowrap invoice-table__gross" data-testid="invoice-gross"><strong>{signedMoney(invoice, invoice.gross)}</strong></td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {invoices.hasNextPage && (
        <div className="center">
          <button type="button" className="btn btn--ghost" disabled={invoices.isFetchingNextPage} onClick={() => void invoices.fetchNextPage()}>
            {invoices.isFetchingNextPage ? 'Loading…' : 'Show more'}
          </button>
        </div>
      )}
    </>
  );
}

/** The invoices the signed-in organizer issued, for every event, with the accountant's CSV. */
export function MyInvoices() {
  return <InvoiceTable invoices={useMyInvoices()} csv={<DownloadInvoicesCsv />} label="Invoices issued" />;
}

/** An event's invoices (its box office's list), with their CSV. */
export function EventInvoices({ eventId }: { eventId: string }) {
  return (
    <InvoiceTable invoices={useEventInvoices(eventId)} label="This event’s invoices"
      csv={<DownloadInvoicesCsv eventId={eventId} label="Download CSV" />} />
  );
}

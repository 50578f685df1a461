import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { Empty, ErrorMessage } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { TableWrap } from '@/components/ui/table-wrap';
import { dateTime } from '@/lib/format';
import { i18n } from '@/lib/i18n';
import { personName } from '@/lib/persons';

import { type Invoice, type InvoicePage, useEventInvoices, useMyInvoices } from '../api/get-invoices';
import { DownloadInvoice, DownloadInvoicesCsv } from './download-invoice';
import { signedMoney } from './invoice-words';

type Pages = UseInfiniteQueryResult<InfiniteData<InvoicePage>>;

/** How many of each kind a list holds: "2 invoices and 1 cancellation". */
export function documentsWords(items: Pick<Invoice, 'kind'>[]): string {
  const cancellations = items.filter((i) => i.kind === 'cancellation').length;
  const invoices = i18n.t('invoicing:list.invoices', { count: items.length - cancellations });
  return cancellations ? i18n.t('invoicing:list.and', { invoices, cancellations: i18n.t('invoicing:list.cancellations', { count: cancellations }) }) : invoices;
}

/** Invoices and cancellations as a table, the last issued first, page by page; each row's number downloads its PDF.
 * A cancellation's amounts are negative: a column's sum is what stands. */
function InvoiceTable({ invoices, csv, label }: { invoices: Pages; csv: ReactNode; label: string }) {
  const { t } = useTranslation('invoicing');
  const items = invoices.data?.pages.flatMap((p) => p.items) ?? [];
  if (invoices.isPending) return <Spinner label={t('list.loading')} />;
  if (invoices.isError) return <ErrorMessage error={invoices.error} onRetry={() => void invoices.refetch()} />;
  if (items.length === 0) {
    return (
      <Empty title={t('list.none')}>
        <p className="muted">{t('list.noneHint')}</p>
      </Empty>
    );
  }
  return (
    <>
      <div className="toolbar invoices-toolbar">
        <p className="muted">{invoices.hasNextPage ? t('list.countShown', { documents: documentsWords(items) }) : t('list.count', { documents: documentsWords(items) })}</p>
        {csv}
      </div>
      <TableWrap label={label}>
        <table className="table invoice-table" aria-label={label}>
          <thead>
            <tr>
              <th scope="col">{t('list.number')}</th><th scope="col">{t('list.issued')}</th><th scope="col">{t('list.buyer')}</th><th scope="col">{t('list.event')}</th><th scope="col">{t('list.booking')}</th>
              <th scope="col" className="num">{t('list.net')}</th><th scope="col" className="num">{t('list.tax')}</th><th scope="col" className="num">{t('list.gross')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((invoice) => (
              // data-label: each cell's name where a phone shows a row as a card, without the header.
              <tr key={invoice.id} data-testid={`invoice-${invoice.number}`}
                className={invoice.kind === 'cancellation' ? 'invoice-table__cancellation' : undefined}>
                <th scope="row" className="invoice-table__number"><DownloadInvoice invoice={invoice} /></th>
                <td className="nowrap invoice-table__issued" data-label={t('list.issued')}>{dateTime(invoice.issued_at)}</td>
                <td className="invoice-table__buyer">{personName(invoice.buyer)}</td>
                <td className="invoice-table__event" data-label={t('list.event')}>{invoice.event_name}</td>
                <td className="invoice-table__booking" data-label={t('list.booking')}><code>{invoice.booking_id.slice(0, 8)}</code></td>
                <td className="num nowrap invoice-table__net" data-label={t('list.net')}>{signedMoney(invoice, invoice.net)}</td>
                <td className="num nowrap invoice-table__tax" data-label={t('list.tax')}>{signedMoney(invoice, invoice.tax)}</td>
                <td className="num nowrap invoice-table__gross" data-testid="invoice-gross"><strong>{signedMoney(invoice, invoice.gross)}</strong></td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {invoices.hasNextPage && (
        <div className="center">
          <button type="button" className="btn btn--ghost" disabled={invoices.isFetchingNextPage} onClick={() => void invoices.fetchNextPage()}>
            {invoices.isFetchingNextPage ? t('common:loadingMore') : t('vouchers:list.more')}
          </button>
        </div>
      )}
    </>
  );
}

/** The invoices the signed-in organizer issued, for every event, with the accountant's CSV. */
export function MyInvoices() {
  const { t } = useTranslation('invoicing');
  return <InvoiceTable invoices={useMyInvoices()} csv={<DownloadInvoicesCsv />} label={t('issued')} />;
}

/** An event's invoices (its box office's list), with their CSV. */
export function EventInvoices({ eventId }: { eventId: string }) {
  const { t } = useTranslation('invoicing');
  return (
    <InvoiceTable invoices={useEventInvoices(eventId)} label={t('ofEvent')}
      csv={<DownloadInvoicesCsv eventId={eventId} label={t('vouchers:download.csv')} />} />
  );
}

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { Answer, type Call, serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import type { Invoice } from '../api/get-invoices';
import { EventInvoices, MyInvoices } from './invoice-list';

const invoiceOf = (number: string, over: Partial<Invoice> = {}): Invoice => ({
  id: `id-${number}`, number, kind: 'invoice', cancels: null, booking_id: 'b1', event_id: 'e1', event_name: 'Blue Note Night', buyer: 'ACME SARL',
  issued_at: '2030-01-02T10:00:00Z', currency: 'EUR', net: '60.00', tax: '11.40', gross: '71.40', pdf: `/api/invoices/id-${number}/pdf`, ...over,
});

describe('MyInvoices', () => {
  it('lists what was issued, the last first, a cancellation negative, each number downloading its PDF', async () => {
    serveApi({
      'GET /organizers/me/invoices': {
        items: [invoiceOf('JN-00002', { kind: 'cancellation', cancels: 'JN-00001' }), invoiceOf('JN-00001')], next_cursor: null, position: 4,
      },
    });
    renderWithProviders(<MyInvoices />);
    const table = await screen.findByRole('table', { name: 'Invoices issued' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual([
      'Cancellation JN-00002 of JN-00001 (PDF)', 'Invoice JN-00001 (PDF)']);
    expect(within(screen.getByTestId('invoice-JN-00002')).getByTestId('invoice-gross')).toHaveTextContent(/^−€\s?71\.40$/);
    expect(within(screen.getByTestId('invoice-JN-00001')).getByTestId('invoice-gross')).toHaveTextContent(/^€\s?71\.40$/);
    expect(screen.getByTestId('invoice-JN-00001')).toHaveTextContent('ACME SARL');
    expect(screen.getByText(/, the last issued first\.$/)).toHaveTextContent('1 invoice and 1 cancellation, the last issued first.');
  });

  it('downloads every invoice as the CSV for the accountant', async () => {
    const calls = serveApi({
      'GET /organizers/me/invoices': { items: [invoiceOf('JN-00001')], next_cursor: null, position: 4 },
      'GET /organizers/me/invoices.csv': new Answer('number,kind\r\n', 200, { 'content-disposition': 'attachment; filename="invoices.csv"' }),
    });
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function save(this: HTMLAnchorElement) { saved.push(this.download); });
    renderWithProviders(<MyInvoices />);
    await userEvent.click(await screen.findByRole('button', { name: 'Download CSV for your accountant' }));
    await waitFor(() => expect(saved).toEqual(['invoices.csv']));
    expect(calls.map((c) => c.url)).toContain('/organizers/me/invoices.csv');
  });

  it('shows more, page by page, with the next cursor', async () => {
    const calls = serveApi({
      'GET /organizers/me/invoices': ({ params }: Call) => (params.cursor === 'c2'
        ? { items: [invoiceOf('JN-00001')], next_cursor: null, position: 4 }
        : { items: [invoiceOf('JN-00002')], next_cursor: 'c2', position: 4 }),
    });
    renderWithProviders(<MyInvoices />);
    await screen.findByTestId('invoice-JN-00002');
    await userEvent.click(screen.getByRole('button', { name: 'Show more' }));
    expect(await screen.findByTestId('invoice-JN-00001')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
    expect(calls.map((c) => c.params.cursor)).toEqual([undefined, 'c2']);
  });

  it('names a buyer whose details are forgotten "erased" in the reader’s language, with the amounts as issued', async () => {
    serveApi({ 'GET /organizers/me/invoices': { items: [invoiceOf('JN-00001', { buyer: 'erased' })], next_cursor: null, position: 4 } });
    renderWithProviders(<MyInvoices />, { user: { ...userOf('organizer'), language: 'de' } }); // the account's language
    const row = await screen.findByTestId('invoice-JN-00001');
    await waitFor(() => expect(row.querySelector('.invoice-table__buyer')).toHaveTextContent(/^gelöscht$/));
    expect(within(row).getByTestId('invoice-gross')).toHaveTextContent(/71,40/);
  });

  it('says none was issued yet', async () => {
    serveApi({ 'GET /organizers/me/invoices': { items: [], next_cursor: null, position: 4 } });
    renderWithProviders(<MyInvoices />);
    expect(await screen.findByRole('heading', { name: 'No invoices issued yet' })).toBeInTheDocument();
  });
});

describe('EventInvoices', () => {
  it("lists the event's invoices and downloads their CSV", async () => {
    const calls = serveApi({
      'GET /events/e1/invoices': { items: [invoiceOf('JN-00001')], next_cursor: null, position: 4 },
      'GET /events/e1/invoices.csv': new Answer('number\r\n', 200, { 'content-disposition': 'attachment; filename="invoices-e1.csv"' }),
    });
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function save(this: HTMLAnchorElement) { saved.push(this.download); });
    renderWithProviders(<EventInvoices eventId="e1" />);
    expect(await screen.findByRole('table', { name: 'This event’s invoices' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(saved).toEqual(['invoices-e1.csv']));
    expect(calls.map((c) => c.url)).toEqual(['/events/e1/invoices', '/events/e1/invoices.csv']);
  });
});

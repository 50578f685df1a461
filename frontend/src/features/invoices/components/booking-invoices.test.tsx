import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { Answer, refuse, serveApi } from '@/testing/mock-api';
import { renderWithProviders, userOf } from '@/testing/test-utils';

import type { Invoice } from '../api/get-invoices';
import { invoiceKeys } from '../api/query-keys';
import { BookingInvoices, InvoiceNote } from './booking-invoices';

const buyer = { ...userOf('customer'), name: 'Alice Martin' };
const SELLER = { organizer_id: 'o1', name: 'Jazz Nights GmbH', country: 'DE' };
const NO_SELLER = refuse(404, 'SELLER_NOT_FOUND', "No seller's details are set");
const invoiceOf = (number: string, over: Partial<Invoice> = {}): Invoice => ({
  id: `id-${number}`, number, kind: 'invoice', cancels: null, booking_id: 'b1', event_id: 'e1', event_name: 'Blue Note Night', buyer: 'ACME SARL',
  issued_at: '2030-01-02T10:00:00Z', currency: 'EUR', net: '60.00', tax: '11.40', gross: '71.40', pdf: `/api/invoices/id-${number}/pdf`, ...over,
});

const renderInvoices = (open = true) =>
  renderWithProviders(<BookingInvoices bookingId="b1" organizerId="o1" open={open} />, { user: buyer });

describe('BookingInvoices', () => {
  it('lists the invoice and its cancellation by name, and downloads each as its PDF', async () => {
    const calls = serveApi({
      'GET /bookings/b1/invoices': { requested: true, items: [invoiceOf('JN-00001'),
        invoiceOf('JN-00002', { kind: 'cancellation', cancels: 'JN-00001' }), invoiceOf('JN-00003', { gross: '47.60' })] },
      'GET /organizers/o1/seller': SELLER,
      'GET /invoices/id-JN-00001/pdf': new Answer('%PDF-1.7', 200, { 'content-disposition': 'attachment; filename="invoice-JN-00001.pdf"' }),
    });
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function save(this: HTMLAnchorElement) { saved.push(this.download); });
    renderInvoices();
    const list = await screen.findByRole('list', { name: 'Invoices' });
    expect(within(list).getAllByRole('button').map((b) => b.textContent)).toEqual([
      'Invoice JN-00001 (PDF)', 'Cancellation JN-00002 of JN-00001 (PDF)', 'Invoice JN-00003 (PDF)']);
    expect(screen.getByTestId('invoice-JN-00002')).toHaveTextContent(/−€\s?71\.40 · issued/);
    expect(screen.getByTestId('invoice-JN-00003')).toHaveTextContent(/€\s?47\.60 · issued/);
    expect(screen.queryByRole('button', { name: 'Ask for an invoice' })).toBeNull(); // the first request stands
    await userEvent.click(screen.getByRole('button', { name: 'Invoice JN-00001 (PDF)' }));
    await waitFor(() => expect(saved).toEqual(['invoice-JN-00001.pdf']));
    expect(calls.find((c) => c.url.endsWith('/pdf'))).toMatchObject({ method: 'GET', url: '/invoices/id-JN-00001/pdf' });
  });

  it('asks for an invoice with the same details, then says it waits for the payment', async () => {
    const calls = serveApi({
      'GET /bookings/b1/invoices': { requested: false, items: [] },
      'GET /organizers/o1/seller': SELLER,
      'POST /bookings/b1/invoice': { booking_id: 'b1', status: 'requested', invoice: null, position: 9 },
    });
    renderInvoices();
    await userEvent.click(await screen.findByRole('button', { name: 'Ask for an invoice' }));
    const form = screen.getByRole('form', { name: 'Invoice details' });
    expect(form).toHaveTextContent('Jazz Nights GmbH issues the invoice once the booking is paid');
    await userEvent.type(within(form).getByLabelText('Address'), '1 rue X{Enter}75001 Paris');
    await userEvent.selectOptions(within(form).getByLabelText('Country'), 'FR');
    await userEvent.click(within(form).getByRole('button', { name: 'Ask for the invoice' }));
    expect(await screen.findByTestId('invoice-requested')).toHaveTextContent('Invoice requested: issued once paid.');
    expect(calls.find((c) => c.method === 'POST')?.data).toEqual({
      name: 'Alice Martin', company: null, address: '1 rue X\n75001 Paris', country: 'FR', vat_id: null,
    });
  });

  it('says an invoice asked for before (the page read again) waits for the payment, and offers no second', async () => {
    serveApi({ 'GET /bookings/b1/invoices': { requested: true, items: [] }, 'GET /organizers/o1/seller': SELLER });
    renderInvoices();
    expect(await screen.findByTestId('invoice-requested')).toHaveTextContent('Invoice requested: issued once paid.');
    expect(screen.queryByRole('button', { name: 'Ask for an invoice' })).toBeNull();
  });

  it('offers no invoice when the organizer issues none', async () => {
    const calls = serveApi({ 'GET /bookings/b1/invoices': { requested: false, items: [] }, 'GET /organizers/o1/seller': NO_SELLER });
    renderInvoices();
    await waitFor(() => expect(calls.map((c) => c.url).sort()).toEqual(['/bookings/b1/invoices', '/organizers/o1/seller']));
    expect(screen.queryByRole('button', { name: 'Ask for an invoice' })).toBeNull();
  });

  it('offers none for a cancelled booking either', async () => {
    const calls = serveApi({ 'GET /bookings/b1/invoices': { requested: false, items: [] }, 'GET /organizers/o1/seller': SELLER });
    renderInvoices(false);
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(screen.queryByRole('button', { name: 'Ask for an invoice' })).toBeNull();
  });
});

describe('InvoiceNote', () => {
  it('says nothing of an invoice nobody asked for', () => {
    const calls = serveApi({});
    renderWithProviders(<InvoiceNote bookingId="b1" />);
    expect(screen.queryByTestId('invoice-note')).toBeNull();
    expect(calls).toEqual([]);
  });

  it('says the invoice asked at checkout comes once paid, then offers it as soon as it is issued', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let issued: Invoice[] = [];
    serveApi({ 'GET /bookings/b1/invoices': () => ({ requested: true, items: issued }) });
    const { client } = renderWithProviders(<InvoiceNote bookingId="b1" />);
    act(() => { client.setQueryData(invoiceKeys.request('b1'), { booking_id: 'b1', status: 'requested', invoice: null }); });
    expect(await screen.findByTestId('invoice-note')).toHaveTextContent(
      'You asked for an invoice: once your payment is through, it is e-mailed to you and you can download it here and in My bookings.');
    issued = [invoiceOf('JN-00001')]; // issued by the process manager, seconds after the payment
    await act(() => vi.advanceTimersByTimeAsync(3_000));
    expect(await screen.findByRole('button', { name: 'Invoice JN-00001 (PDF)' })).toBeInTheDocument();
    expect(screen.getByTestId('invoice-note')).toHaveTextContent('Your invoice is issued: it is e-mailed to you, and here to download.');
  });
});

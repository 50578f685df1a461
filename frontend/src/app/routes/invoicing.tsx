import { MyInvoices } from '@/features/invoices/components/invoice-list';
import { SellerForm } from '@/features/invoices/components/seller-form';

export function InvoicingRoute() {
  return (
    <>
      <h1>Invoicing</h1>
      <p className="muted">
        Buyers of your events may ask for an invoice at checkout or from their bookings: it is issued in your name once
        they have paid, numbered in one sequence, and e-mailed to them. A refunded ticket cancels it with a credit note.
      </p>
      <section className="card" aria-labelledby="seller-title">
        <h2 id="seller-title">Your seller’s details</h2>
        <SellerForm />
      </section>
      <section className="card" aria-labelledby="issued-title">
        <h2 id="issued-title">Invoices issued</h2>
        <MyInvoices />
      </section>
    </>
  );
}

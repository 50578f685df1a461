import { useTranslation } from 'react-i18next';

import { MyInvoices } from '@/features/invoices/components/invoice-list';
import { SellerForm } from '@/features/invoices/components/seller-form';

export function InvoicingRoute() {
  const { t } = useTranslation('invoicing');
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('lead')}</p>
      <section className="card" aria-labelledby="seller-title">
        <h2 id="seller-title">{t('seller.title')}</h2>
        <SellerForm />
      </section>
      <section className="card" aria-labelledby="issued-title">
        <h2 id="issued-title">{t('issued')}</h2>
        <MyInvoices />
      </section>
    </>
  );
}

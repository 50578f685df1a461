import { useTranslation } from 'react-i18next';

import { WebhooksPage } from '@/features/webhooks/components/webhooks-page';

export function WebhooksRoute() {
  const { t } = useTranslation('webhooks');
  return (
    <>
      <h1>{t('title')}</h1>
      <WebhooksPage />
    </>
  );
}

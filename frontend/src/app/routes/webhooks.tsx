import { WebhooksPage } from '@/features/webhooks/components/webhooks-page';

export function WebhooksRoute() {
  return (
    <>
      <h1>Webhooks</h1>
      <WebhooksPage />
    </>
  );
}

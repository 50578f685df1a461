import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';

import type { WebhookCreated } from '../api/create-webhook';

/** The signing secret of an endpoint just registered: the API shows it in this answer only. */
export function SecretOnce({ created, onDone }: { created: WebhookCreated; onDone: () => void }) {
  const { t } = useTranslation('webhooks');
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () => {
    const written = navigator.clipboard?.writeText(created.secret);
    if (!written) { setCopied('failed'); return; }
    written.then(() => setCopied('yes'), () => setCopied('failed'));
  };
  return (
    <section className="alert alert--warning webhook-secret" aria-labelledby="secret-title" data-testid="webhook-secret">
      <h3 id="secret-title">{t('secret.title')}</h3>
      <p>
        <Trans t={t} i18nKey="secret.body" values={{ url: created.url }} components={{ strong: <strong /> }} />
      </p>
      <div className="command" role="group" aria-label={t('secret.label')}>
        <code data-testid="secret-value">{created.secret}</code>
        <button type="button" className="btn btn--small" onClick={copy}>{copied === 'yes' ? t('secret.copied') : t('secret.copy')}</button>
      </div>
      {copied === 'failed' && <p role="status">{t('secret.copyFailed')}</p>}
      <button type="button" className="btn btn--ghost btn--small" onClick={onDone}>{t('secret.kept')}</button>
    </section>
  );
}

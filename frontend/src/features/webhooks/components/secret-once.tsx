import { useState } from 'react';

import type { WebhookCreated } from '../api/create-webhook';

/** The signing secret of an endpoint just registered: the API shows it in this answer only. */
export function SecretOnce({ created, onDone }: { created: WebhookCreated; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () => {
    const written = navigator.clipboard?.writeText(created.secret);
    if (!written) { setCopied('failed'); return; }
    written.then(() => setCopied('yes'), () => setCopied('failed'));
  };
  return (
    <section className="alert alert--warning webhook-secret" aria-labelledby="secret-title" data-testid="webhook-secret">
      <h3 id="secret-title">Keep this signing secret now</h3>
      <p>
        Your receiver checks every request to <strong>{created.url}</strong> with it. <strong>You will not see it again</strong>:
        copy it where your receiver reads it before you leave this page. If it is lost, delete this webhook and register a new one.
      </p>
      <div className="command" role="group" aria-label="Signing secret">
        <code data-testid="secret-value">{created.secret}</code>
        <button type="button" className="btn btn--small" onClick={copy}>{copied === 'yes' ? 'Copied' : 'Copy secret'}</button>
      </div>
      {copied === 'failed' && <p role="status">This browser did not let the page copy it: select the secret and copy it by hand.</p>}
      <button type="button" className="btn btn--ghost btn--small" onClick={onDone}>I have kept it</button>
    </section>
  );
}

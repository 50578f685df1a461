import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A shell command to copy (how to check a downloaded file offline), named as a group: a bare div's name is not read. */
export function CommandLine({ command, label }: { command: string; label?: string }) {
  const { t } = useTranslation('common');
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(command).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    });
  };
  return (
    <div className="command" role="group" aria-label={label ?? t('command.label')}>
      <code>{command}</code>
      {typeof navigator !== 'undefined' && navigator.clipboard && (
        <button type="button" className="btn btn--ghost btn--small" onClick={copy}>{copied ? t('command.copied') : t('command.copy')}</button>
      )}
    </div>
  );
}

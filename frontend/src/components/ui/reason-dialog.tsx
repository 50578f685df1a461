import { useTranslation } from 'react-i18next';
import { useEffect, useId, useState, type ReactNode } from 'react';

import { ConfirmDialog } from './confirm';
import { ErrorMessage } from './feedback';

/**
 * A confirmation that asks why (a cancellation by an organizer or an admin: the customer
 * reads the reason). With `required`, the confirm button waits for a reason.
 */
export function ReasonDialog({
  open, title, children, confirmLabel, required = true, busy, error, onConfirm, onCancel,
}: {
  open: boolean; title: string; children?: ReactNode; confirmLabel: string; required?: boolean; busy?: boolean;
  error?: unknown; onConfirm: (reason: string) => void; onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const id = useId();
  useEffect(() => { if (!open) { setReason(''); setMissing(false); } }, [open]);
  const close = () => onCancel();
  const confirm = () => {
    const text = reason.trim();
    if (required && !text) { setMissing(true); return; }
    onConfirm(text);
  };
  return (
    <ConfirmDialog open={open} title={title} confirmLabel={confirmLabel} busy={busy} onCancel={close} onConfirm={confirm}>
      {children}
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t(required ? 'reason.required' : 'reason.optional')}</label>
        <textarea id={`${id}-reason`} rows={3} value={reason} maxLength={500} aria-invalid={missing}
          aria-describedby={missing ? `${id}-error` : undefined}
          onChange={(e) => { setReason(e.target.value); setMissing(false); }} />
        {missing && <small id={`${id}-error`} className="field__error">{t('reason.missing')}</small>}
      </div>
      {error ? <ErrorMessage error={error} title={t('reason.notDone')} /> : null}
    </ConfirmDialog>
  );
}

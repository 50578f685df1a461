import { useTranslation } from 'react-i18next';
import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal confirmation step (native <dialog>: focus trap and Escape come with it). `focus` is the button Enter
 * presses at once: Cancel where a stray Enter after a mis-click must change nothing (a role); or `field`, the body's
 * first field, where the confirmation asks for something typed (a password).
 */
export function ConfirmDialog({
  open, title, children, confirmLabel, cancelLabel, busy, onConfirm, onCancel, focus = 'confirm',
}: {
  open: boolean; title: string; children: ReactNode; confirmLabel: string; cancelLabel?: string; busy?: boolean;
  onConfirm: () => void; onCancel: () => void; focus?: 'confirm' | 'cancel' | 'field';
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const titleId = useId(); // several dialogs may share a page: each names itself
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
      // Said here, not left to the browser: React's autoFocus acts at mount, not when the dialog opens.
      const field = focus === 'field' ? dialog.querySelector<HTMLElement>('.dialog__body input, .dialog__body textarea, .dialog__body select') : null;
      (field ?? (focus === 'cancel' ? cancelRef : confirmRef).current)?.focus();
    }
    if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [open, focus]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); onCancel(); }}>
      <h2 id={titleId}>{title}</h2>
      <div className="dialog__body">{children}</div>
      <div className="dialog__actions">
        <button type="button" className="btn btn--ghost" onClick={onCancel} disabled={busy} ref={cancelRef}>
          {cancelLabel ?? t('dialog.keep')}
        </button>
        <button type="button" className="btn btn--danger" onClick={onConfirm} disabled={busy} ref={confirmRef}>
          {busy ? t('dialog.working') : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

import type { ReactNode } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm';
import { ErrorMessage } from '@/components/ui/feedback';

/** What the dialog reads of the erasure under way: the owner's mutation. */
export interface ErasureState { isPending: boolean; error: unknown; reset: () => void }

/**
 * The confirmation of an erasure, whoever asks it (an admin of any user, an organizer of a buyer of theirs): Cancel
 * has the focus, so a stray Enter forgets no one; Escape does nothing while the erasure is under way (the answer
 * decides); a refusal is said in the dialog, which stays open. The owner says who and what, and erases on confirm.
 */
export function ErasureDialog({ open, title, confirmLabel, keepLabel, refusedTitle, erasure, onConfirm, onClose, children }: {
  open: boolean; title: string; confirmLabel: string; keepLabel: string; refusedTitle: string; erasure: ErasureState;
  onConfirm: () => void; onClose: () => void; children: ReactNode;
}) {
  const close = () => {
    if (erasure.isPending) return;
    erasure.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={open} title={title} confirmLabel={confirmLabel} cancelLabel={keepLabel} focus="cancel"
      busy={erasure.isPending} onCancel={close} onConfirm={onConfirm}
    >
      {children}
      {erasure.error ? <ErrorMessage error={erasure.error} title={refusedTitle} /> : null}
    </ConfirmDialog>
  );
}

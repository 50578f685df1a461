import { useTranslation } from 'react-i18next';

import { useForgetBuyer } from '../api/erasure';
import { ErasureDialog } from './erasure-dialog';

export interface Buyer { id: string; name: string }

/**
 * An organizer's confirmation that a buyer of theirs is forgotten, saying what is forgotten, what stays, and whose
 * buyers an organizer may forget (a refusal, such as a buyer of other organizers too, is said in the dialog).
 * `onForgotten` hears of it done, with the name as it was (the bookings will read "erased").
 */
export function ForgetBuyerDialog({ buyer, onClose, onForgotten }: {
  buyer: Buyer | null; onClose: () => void; onForgotten: (name: string) => void;
}) {
  const { t } = useTranslation('organizer');
  const forget = useForgetBuyer();
  const confirm = () => buyer && forget.mutate(buyer.id, {
    onSuccess: () => { forget.reset(); onForgotten(buyer.name); },
  });
  return (
    <ErasureDialog
      open={!!buyer} title={t('forget.ask', { name: buyer?.name ?? '' })} confirmLabel={t('forget.confirm')}
      keepLabel={t('forget.keep')} refusedTitle={t('forget.notForgotten')} erasure={forget} onConfirm={confirm} onClose={onClose}
    >
      <p>{t('forget.forgotten')}</p>
      <p>{t('forget.stays')}</p>
      <p>{t('forget.whose')}</p>
    </ErasureDialog>
  );
}

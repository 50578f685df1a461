import { Trans, useTranslation } from 'react-i18next';

import { ErrorMessage, Notice } from '@/components/ui/feedback';
import { dateTime, number } from '@/lib/format';

import { useSignHead } from '../api/operations';

/** An admin has the signer sign a head over the tree as it stands now. */
export function SignHeadNow() {
  const { t } = useTranslation('admin');
  const sign = useSignHead();
  return (
    <div>
      <p className="muted">{t('sign.about')}</p>
      <button type="button" className="btn" disabled={sign.isPending} onClick={() => sign.mutate()}>
        {sign.isPending ? t('sign.signing') : t('sign.now')}
      </button>
      {sign.data && (
        <Notice tone="success">
          <Trans t={t} i18nKey="sign.signed" values={{ size: number(sign.data.tree_size), time: dateTime(sign.data.timestamp), key: sign.data.key_id }}
            components={{ strong: <strong />, code: <code /> }} />
        </Notice>
      )}
      {sign.error && <ErrorMessage error={sign.error} title={t('sign.notSigned')} />}
    </div>
  );
}

import { useTranslation } from 'react-i18next';

import { ProjectionsAdmin } from '@/features/admin/components/operations';
import { SignHeadNow } from '@/features/admin/components/sign-head-now';

export function AdminOperationsRoute() {
  const { t } = useTranslation('admin');
  return (
    <>
      <h1>{t('manage:tabs.operations')}</h1>
      <section className="card" aria-labelledby="projections-title">
        <h2 id="projections-title">{t('operations.title')}</h2>
        <ProjectionsAdmin />
      </section>
      <section className="card" aria-labelledby="sign-title">
        <h2 id="sign-title">{t('manage:tabs.heads')}</h2>
        <SignHeadNow />
      </section>
    </>
  );
}

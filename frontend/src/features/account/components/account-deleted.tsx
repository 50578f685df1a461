import { useTranslation } from 'react-i18next';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';

/** What a buyer reads once their account is deleted: it is done, and what stays. */
export function AccountDeleted() {
  const { t } = useTranslation('privacy');
  const heading = useRef<HTMLHeadingElement>(null);
  // The page changed under the dialog's button: the reader is told where they are now.
  useEffect(() => { heading.current?.focus(); }, []);
  return (
    <div className="card narrow">
      <h1 ref={heading} tabIndex={-1}>{t('deleted.title')}</h1>
      <p>{t('deleted.body')}</p>
      <Link to="/" className="btn">{t('deleted.events')}</Link>
    </div>
  );
}

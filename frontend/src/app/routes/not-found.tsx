import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

export function NotFoundRoute() {
  const { t } = useTranslation();
  return (
    <div className="card narrow">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <Link to="/" className="btn">{t('notFound.events')}</Link>
    </div>
  );
}

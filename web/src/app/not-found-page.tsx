import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useTitle } from '../lib/hooks.ts';

export default function NotFoundPage() {
  const { t } = useTranslation();
  useTitle(t('notFound.title'));
  return (
    <section className="page narrow not-found">
      <p className="not-found-mark" aria-hidden="true">
        404
      </p>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <p>
        <Link to="/" className="button">
          {t('notFound.home')}
        </Link>
      </p>
    </section>
  );
}

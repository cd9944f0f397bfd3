import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** The top of the home page. Its zh-TW markup is also written into index.html at build time
 *  (hero-shell.ts), so that it paints before the JavaScript runs. */
export function Hero() {
  const { t } = useTranslation();
  return (
    <section className="hero" aria-labelledby="hero-title">
      <h1 id="hero-title">{t('home.title')}</h1>
      <p>{t('home.tagline')}</p>
      <p className="hero-actions">
        <Link to="/sell" className="button accent">
          {t('home.sellCta')}
        </Link>
      </p>
    </section>
  );
}

import { useTranslation } from 'react-i18next';

/** Star rating with its number and, for averages, the count: ★★★★☆ 4.3 (12). */
export function Stars({ average, count }: { average: number | null; count?: number }) {
  const { t } = useTranslation();
  if (average === null || count === 0) {
    return <span className="stars muted">{t('rating.none')}</span>;
  }
  const full = Math.max(0, Math.min(5, Math.round(average)));
  const label =
    count === undefined
      ? t('rating.single', { rating: full })
      : t('rating.label', { average: average.toFixed(1), count });
  return (
    <span className="stars" role="img" aria-label={label}>
      <span className="stars-icons">
        {'★'.repeat(full)}
        {'☆'.repeat(5 - full)}
      </span>
      {count !== undefined && (
        <span className="stars-text">
          {' '}
          {average.toFixed(1)} ({count})
        </span>
      )}
    </span>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatGameTime, formatMoney } from '../../lib/format.ts';
import { useLocale } from '../../lib/hooks.ts';
import { matchTitle, stadiumName } from '../../lib/names.ts';
import { trendingQuery } from './home-api.ts';

/** 熱門賽事: upcoming games by recent demand. Hidden when it fails or is empty. */
export function Trending() {
  const { t } = useTranslation();
  const locale = useLocale();
  const trending = useQuery(trendingQuery);
  const items = trending.data?.items ?? [];
  if (trending.isError || (trending.isSuccess && items.length === 0)) return null;
  return (
    <section className="trending" aria-labelledby="trending-title">
      <h2 id="trending-title">{t('home.trending')}</h2>
      {trending.isPending ? (
        <div className="skeleton-block" aria-hidden="true">
          <div className="skeleton line" />
          <div className="skeleton line" />
        </div>
      ) : (
        <ol className="leaderboard">
          {items.map((item, i) => (
            <li key={item.game.id}>
              <span className="rank" aria-hidden="true">
                {i + 1}
              </span>
              <Link to={`/games/${item.game.id}`} className="leader-main">
                <strong>{matchTitle(item.game, locale)}</strong>
                <span className="muted">
                  {formatGameTime(item.game.startsAt, locale)} ·{' '}
                  {stadiumName(item.game.stadium, locale)}
                </span>
              </Link>
              <span className="leader-stats">
                <span>{t('trending.sold', { count: item.soldTickets7d })}</span>
                <span>{t('trending.active', { count: item.activeListings })}</span>
                {item.medianPrice !== null && (
                  <span>{t('trending.median', { price: formatMoney(item.medianPrice) })}</span>
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RECOMMENDATION_REASONS } from '../../../../shared/contracts/vocabulary.ts';
import { useMe } from '../auth/session.ts';
import { formatGameTime, formatMoney, percentOfFace } from '../../lib/format.ts';
import { useLocale } from '../../lib/hooks.ts';
import { localName, matchTitle } from '../../lib/names.ts';
import { logRecommendationClick, recommendationsQuery } from './home-api.ts';

/** Reason codes of the recommendations contract; an unknown one is shown as the server wrote it. */
const REASONS = new Set<string>(RECOMMENDATION_REASONS);

/** 為你推薦: listings picked for the reader, each with why. Hidden when unavailable. */
export function Recommendations() {
  const { t } = useTranslation();
  const locale = useLocale();
  const me = useMe();
  const recs = useQuery({
    ...recommendationsQuery(me.data?.id ?? null),
    enabled: !me.isPending,
  });
  const items = recs.data?.items ?? [];
  if (recs.isError || !recs.data || items.length === 0) return null;
  const requestId = recs.data.requestId;
  return (
    <section className="recommendations" aria-labelledby="recs-title">
      <h2 id="recs-title">{t('home.recommended')}</h2>
      <ul className="card-grid plain">
        {items.map(({ listing, reasons }) => {
          const pct = percentOfFace(listing.price, listing.faceValue);
          return (
            <li key={listing.id}>
              <Link
                to={`/listings/${listing.id}`}
                className="card rec-card"
                onClick={() => logRecommendationClick(requestId, listing.id)}
              >
                <strong>{matchTitle(listing.game, locale)}</strong>
                <span className="muted">{formatGameTime(listing.game.startsAt, locale)}</span>
                <span>
                  {localName(listing.area, locale)} ·{' '}
                  {t('listing.qty', { count: listing.quantity })}
                </span>
                <span className="price-line">
                  <strong className="price">{formatMoney(listing.price)}</strong>
                  {pct !== null && (
                    <span className="face-pct">{t('listing.facePct', { pct })}</span>
                  )}
                </span>
                <span className="reasons">
                  {reasons.map((r) => (
                    <span key={r} className="chip">
                      {REASONS.has(r) ? t(`reasons.${r}`) : r}
                    </span>
                  ))}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

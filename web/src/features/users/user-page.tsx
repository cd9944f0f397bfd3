// A seller's public profile: rating, completed sales and reviews, paginated.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import NotFoundPage from '../../app/not-found-page.tsx';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { PageSkeleton } from '../../components/skeleton.tsx';
import { Stars } from '../../components/stars.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { SellerScorecardPanel } from './scorecard.tsx';
import { userProfileQuery } from './users-api.ts';

export default function UserPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const profile = useInfiniteQuery(userProfileQuery(id));
  const first = profile.data?.pages[0];
  useTitle(first?.name ?? null);
  if (profile.isPending) return <PageSkeleton />;
  if (profile.isError) {
    if (isApiError(profile.error, 'NOT_FOUND') || isApiError(profile.error, 'VALIDATION_FAILED'))
      return <NotFoundPage />;
    return (
      <div className="page">
        <ErrorNotice error={profile.error} />
      </div>
    );
  }
  const user = first!;
  const reviews = profile.data.pages.flatMap((p) => p.reviews);
  return (
    <div className="page narrow user-page">
      <header className="profile-head">
        <span className="avatar big" aria-hidden="true">
          {user.name.slice(0, 1).toUpperCase()}
        </span>
        <div>
          <h1>{user.name}</h1>
          <p>
            <Stars average={user.ratingAverage} count={user.ratingCount} />
          </p>
          <p className="muted">
            {t('user.sales', { count: user.completedSales })} ·{' '}
            {t('user.since', { date: formatDateTime(user.memberSince, locale).slice(0, 10) })}
          </p>
        </div>
      </header>
      <SellerScorecardPanel sellerId={user.id} />
      <section aria-labelledby="reviews-title">
        <h2 id="reviews-title">{t('user.reviews')}</h2>
        {reviews.length === 0 ? (
          <p className="empty">{t('user.noReviews')}</p>
        ) : (
          <ul className="review-list plain">
            {reviews.map((r, i) => (
              <li key={`${r.createdAt}-${i}`} className="card review">
                <Stars average={r.rating} />
                {r.comment && <p className="user-text">{r.comment}</p>}
                <p className="muted small">
                  {r.buyerName} · {formatDateTime(r.createdAt, locale)}
                </p>
              </li>
            ))}
          </ul>
        )}
        {profile.hasNextPage && (
          <p className="center">
            <button
              type="button"
              className="button ghost"
              disabled={profile.isFetchingNextPage}
              onClick={() => void profile.fetchNextPage()}
            >
              {t('common.more')}
            </button>
          </p>
        )}
      </section>
    </div>
  );
}

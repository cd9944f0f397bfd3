import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { allowedQuantities } from '../../../../shared/contracts/split-rule.ts';
import { api, isApiError } from '../../api/client.ts';
import type { Listing, Order } from '../../api/types.ts';
import NotFoundPage from '../../app/not-found-page.tsx';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { seatText } from '../../components/listing-row.tsx';
import { PageSkeleton } from '../../components/skeleton.tsx';
import { TicketIcon } from '../../components/icons.tsx';
import { Stars } from '../../components/stars.tsx';
import {
  formatCountdown,
  formatGameTime,
  formatMoney,
  percentOfFace,
  secondsLeft,
} from '../../lib/format.ts';
import { useLocale, useNow, useTitle } from '../../lib/hooks.ts';
import { localName, matchTitle, stadiumName } from '../../lib/names.ts';
import { useMe } from '../auth/session.ts';
import { MY_ORDERS_KEY, myHoldsQuery } from '../checkout/orders-api.ts';
import { SellerScorecardPanel } from '../users/scorecard.tsx';
import { HandoverGuide } from '../handover/handover-panel.tsx';
import { listingQuery } from './listings-api.ts';

// The seat map is its own chunk: here it only shows where the listing's area is.
const StadiumMap = lazy(() => import('../stadium-map/stadium-map.tsx'));

function Gallery({ images, title }: { images: Listing['images']; title: string }) {
  const { t } = useTranslation();
  const [index, setIndex] = useState(0);
  if (images.length === 0) {
    return (
      <div className="gallery empty-gallery" aria-hidden="true">
        <TicketIcon size={72} />
      </div>
    );
  }
  const current = images[Math.min(index, images.length - 1)]!;
  return (
    <div className="gallery">
      <img
        className="gallery-main"
        src={current.url}
        alt={t('listing.photoAlt', { title, n: index + 1, total: images.length })}
        width={800}
        height={600}
        decoding="async"
      />
      {images.length > 1 && (
        <ul className="gallery-thumbs plain">
          {images.map((img, i) => (
            <li key={img.url}>
              <button
                type="button"
                className={i === index ? 'current' : ''}
                aria-pressed={i === index}
                aria-label={t('listing.showPhoto', { n: i + 1 })}
                onClick={() => setIndex(i)}
              >
                <img src={img.thumbUrl} alt="" width={80} height={60} loading="lazy" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export default function ListingPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const navigate = useNavigate();
  const me = useMe();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const qc = useQueryClient();
  const listing = useQuery(listingQuery(id));
  const l0 = listing.data;
  // The viewer's own unpaid hold on this listing (e.g. after Back from checkout): it is theirs
  // to pay, not "someone else is buying" (issue 21 item 1).
  const holds = useQuery({
    ...myHoldsQuery,
    enabled:
      Boolean(me.data) &&
      Boolean(l0) &&
      l0?.seller.id !== me.data?.id &&
      (l0?.status === 'active' || l0?.status === 'held'),
  });
  const now = useNow(1000);
  const myHold = holds.data?.items.find(
    (o) => o.listing.id === id && secondsLeft(o.expiresAt, now) > 0,
  );
  // How many of its tickets (issue 22): null until the buyer picks, then the whole of what remains.
  const [picked, setPicked] = useState<number | null>(null);
  const choices = l0 ? allowedQuantities(l0.splitRule, l0.remaining) : [];
  const quantity =
    picked !== null && choices.includes(picked) ? picked : (choices[choices.length - 1] ?? 0);
  const buy = useMutation({
    mutationFn: () =>
      api<Order>('/api/orders', {
        method: 'POST',
        body: { listingId: id, quantity },
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    onSuccess: (order) => {
      // Back from checkout must not show the listing as it was before the hold.
      void qc.invalidateQueries({ queryKey: listingQuery(id).queryKey });
      void qc.invalidateQueries({ queryKey: MY_ORDERS_KEY });
      void navigate(`/checkout/${order.id}`);
    },
    onError: () => void qc.invalidateQueries({ queryKey: myHoldsQuery.queryKey }),
  });
  useTitle(listing.data ? matchTitle(listing.data.game, locale) : null);

  if (listing.isPending) return <PageSkeleton />;
  if (listing.isError) {
    if (isApiError(listing.error, 'NOT_FOUND') || isApiError(listing.error, 'VALIDATION_FAILED'))
      return <NotFoundPage />;
    return (
      <div className="page">
        <ErrorNotice error={listing.error} />
      </div>
    );
  }
  const l = listing.data;
  const pct = percentOfFace(l.price, l.faceValue);
  const own = me.data?.id === l.seller.id;
  const title = `${matchTitle(l.game, locale)} · ${localName(l.area, locale)}`;

  const onBuy = () => {
    if (!me.data) {
      void navigate(`/login?next=${encodeURIComponent(`/listings/${id}`)}`);
      return;
    }
    buy.mutate();
  };

  return (
    <div className="page listing-page">
      <p className="breadcrumb">
        <Link to={`/games/${l.game.id}`}>
          ← {matchTitle(l.game, locale)} · {formatGameTime(l.game.startsAt, locale)}
        </Link>
      </p>
      <div className="listing-layout">
        <Gallery images={l.images} title={title} />
        <div className="listing-detail">
          <h1>{localName(l.area, locale)}</h1>
          <p className="muted">
            {matchTitle(l.game, locale)} · {formatGameTime(l.game.startsAt, locale)} ·{' '}
            {stadiumName(l.game.stadium, locale)}
          </p>
          <dl className="facts">
            <div>
              <dt>{t('listing.seat')}</dt>
              <dd>{seatText(l, t)}</dd>
            </div>
            <div>
              <dt>{t('listing.quantity')}</dt>
              <dd>
                {t('listing.qty', { count: l.quantity })}
                {l.remaining !== l.quantity && l.status === 'active' && (
                  <>
                    {' '}
                    <span className="muted">{t('split.left', { count: l.remaining })}</span>
                  </>
                )}
              </dd>
            </div>
            {l.quantity > 1 && (
              <div>
                <dt>{t('split.label')}</dt>
                <dd>{t(`split.${l.splitRule}`)}</dd>
              </div>
            )}
            <div>
              <dt>{t('listing.price')}</dt>
              <dd>
                <strong className="price big">{formatMoney(l.price)}</strong>{' '}
                <span className="muted">{t('listing.perTicket')}</span>
              </dd>
            </div>
            <div>
              <dt>{t('listing.faceValue')}</dt>
              <dd>
                {formatMoney(l.faceValue)}{' '}
                {pct !== null && <span className="face-pct">{t('listing.facePct', { pct })}</span>}
              </dd>
            </div>
            <div>
              <dt>{t('listing.total')}</dt>
              <dd>
                <strong>{formatMoney(l.price * (quantity || l.quantity))}</strong>{' '}
                <span className="muted small">{t('listing.noFees')}</span>
              </dd>
            </div>
            <div>
              <dt>{t('listing.delivery')}</dt>
              <dd>{t(`delivery.${l.deliveryMethod}`)}</dd>
            </div>
            {l.note && (
              <div>
                <dt>{t('listing.note')}</dt>
                <dd className="user-text">{l.note}</dd>
              </div>
            )}
            <div>
              <dt>{t('listing.seller')}</dt>
              <dd>
                <Link to={`/users/${l.seller.id}`}>{l.seller.name}</Link>{' '}
                <Stars average={l.seller.ratingAverage} count={l.seller.ratingCount} />
              </dd>
            </div>
          </dl>
          {myHold ? (
            <div className="notice held-for-you buy-bar" role="status">
              <p>
                {t('listing.heldForYou', {
                  time: formatCountdown(secondsLeft(myHold.expiresAt, now)),
                })}
              </p>
              <Link to={`/checkout/${myHold.id}`} className="button accent big buy-button">
                {t('listing.continueToPay')}
              </Link>
            </div>
          ) : l.status !== 'active' ? (
            <p className="notice">{t(`listingStatus.${l.status}`)}</p>
          ) : own ? (
            <p className="notice">
              {t('listing.own')} <Link to="/me/listings">{t('nav.myListings')}</Link>
            </p>
          ) : !l.game.onSale ? (
            <p className="notice">{t('game.notOnSale')}</p>
          ) : (
            <div className="buy-bar">
              {choices.length > 1 && (
                <label className="field buy-quantity">
                  <span>{t('split.howMany')}</span>
                  <select
                    id="buy-quantity"
                    value={quantity}
                    onChange={(e) => setPicked(Number(e.target.value))}
                  >
                    {choices.map((n) => (
                      <option key={n} value={n}>
                        {t('listing.qty', { count: n })}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <button
                type="button"
                className="button accent big buy-button"
                onClick={onBuy}
                disabled={buy.isPending}
              >
                {buy.isPending
                  ? t('common.loading')
                  : t('listing.buy', { total: formatMoney(l.price * quantity) })}
              </button>
              <p className="muted small">{t('listing.holdNote')}</p>
            </div>
          )}
          {buy.isError && !myHold && <ErrorNotice error={buy.error} />}
          {/* The guide, guarantee and scorecard sit below Buy, so the buy button stays above
              the fold (journey 10). */}
          <p className="small guarantee-link">
            <Link to="/guarantee">{t('trust.guaranteeLink')}</Link>
          </p>
          <HandoverGuide teamId={l.game.homeTeam.id} method={l.deliveryMethod} />
          <SellerScorecardPanel sellerId={l.seller.id} />
          <Suspense fallback={null}>
            <StadiumMap
              stadiumId={l.game.stadium.id}
              stadiumName={stadiumName(l.game.stadium, locale)}
              highlightAreaId={l.area.id}
            />
          </Suspense>
        </div>
      </div>
    </div>
  );
}
